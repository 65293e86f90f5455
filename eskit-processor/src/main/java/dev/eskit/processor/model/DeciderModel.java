package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import java.util.List;
import javax.lang.model.element.Element;

/**
 * One {@code @Decider} class and what is generated for it.
 *
 * @param source       the annotated class
 * @param deciderClass the generated decider, {@code <Name>Decider}
 * @param specClass    the generated fixture, {@code <Name>Spec}
 * @param streamType   the stream type
 * @param state        the state type
 * @param command      the command type
 * @param event        the event type
 * @param eventSealed  whether the event type is sealed (every event has an evolve method)
 * @param initialState the {@code @InitialState} method
 * @param decides      decide methods, most specific command type first
 * @param evolves      evolve methods, most specific event type first
 * @param routes       command routes, sorted by command class
 * @param needsTarget  whether some method is an instance method
 * @param origin       the annotated element
 * @param dcb          the boundary of a {@code @DcbDecider}, or {@code null} for a stream decider
 * @param mutableState why the state type is not proven deeply immutable, or {@code null} when it is
 * @param stateChecks  the run-time checks that tell immutable states apart when the type alone does not prove them,
 *                     or {@code null} when there are none
 */
public record DeciderModel(ClassName source, ClassName deciderClass, ClassName specClass, String streamType,
                           TypeName state, TypeName command, TypeName event, boolean eventSealed, Call initialState,
                           List<DecideModel> decides, List<EvolveModel> evolves, List<RouteModel> routes,
                           boolean needsTarget, Element origin, DcbModel dcb, String mutableState,
                           StateCheckModel stateChecks) {
    /** Copies the lists. */
    public DeciderModel {
        decides = List.copyOf(decides);
        evolves = List.copyOf(evolves);
        routes = List.copyOf(routes);
    }

    /** A stream decider. */
    public DeciderModel(ClassName source, ClassName deciderClass, ClassName specClass, String streamType,
                        TypeName state, TypeName command, TypeName event, boolean eventSealed, Call initialState,
                        List<DecideModel> decides, List<EvolveModel> evolves, List<RouteModel> routes,
                        boolean needsTarget, Element origin, String mutableState, StateCheckModel stateChecks) {
        this(source, deciderClass, specClass, streamType, state, command, event, eventSealed, initialState, decides,
                evolves, routes, needsTarget, origin, null, mutableState, stateChecks);
    }

    /** This decider with the boundary {@code value}. */
    public DeciderModel withDcb(DcbModel value) {
        return new DeciderModel(source, deciderClass, specClass, streamType, state, command, event, eventSealed,
                initialState, decides, evolves, routes, needsTarget, origin, value, mutableState, stateChecks);
    }
}
