package dev.opsbot.app.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.regex.Pattern;

/**
 * Only the modules' main classes: not test classes, whether they come from a module's
 * {@code test-classes} folder or, in a full build, from a published {@code -tests.jar}.
 */
final class MainCodeOnly implements ImportOption {
    @Override
    public boolean includes(Location location) {
        return !location.contains("/test-classes/") && !location.matches(Pattern.compile(".*-tests\\.jar.*"));
    }
}
