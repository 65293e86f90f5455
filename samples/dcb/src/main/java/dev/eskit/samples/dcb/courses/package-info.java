/**
 * Courses with a capacity that can change, and students who subscribe to at most {@link Subscribe#MAX_COURSES}
 * courses. No course or student aggregate holds both rules: each command's boundary is the events tagged with its
 * course and its student.
 */
package dev.eskit.samples.dcb.courses;
