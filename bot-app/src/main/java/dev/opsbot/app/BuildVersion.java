package dev.opsbot.app;

import dev.opsbot.app.telemetry.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code opsbot --version}: the project's version and the commit the build was made from. */
final class BuildVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        BuildInfo build = BuildInfo.read();
        return new String[] {"opsbot " + build.version() + " (commit " + build.commit() + ")"};
    }
}
