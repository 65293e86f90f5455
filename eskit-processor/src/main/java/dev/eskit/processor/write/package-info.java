/** Writers: turn models into JavaPoet files. They never see javac elements except as originating elements. Internal. */
package dev.eskit.processor.write;
