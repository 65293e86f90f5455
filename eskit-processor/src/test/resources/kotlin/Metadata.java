package kotlin;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** Stands in for Kotlin's own {@code kotlin.Metadata}, which kotlinc puts on every class (and kapt on its stubs). */
@Retention(RetentionPolicy.RUNTIME)
public @interface Metadata {
    int k() default 1;

    int[] mv() default {};

    String[] d1() default {};

    String[] d2() default {};

    int xi() default 0;

    String xs() default "";

    String pn() default "";
}
