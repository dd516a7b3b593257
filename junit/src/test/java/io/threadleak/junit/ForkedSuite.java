package io.threadleak.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs {@link ThreadLeakExtensionTest} in a JVM of its own (another JDK, with the agent): prints
 * {@code tests found N succeeded N failed N} and the failures, and exits with 0 when all passed.
 */
public final class ForkedSuite {

    private ForkedSuite() {
    }

    public static void main(String[] args) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(ThreadLeakExtensionTest.class)).build(), summary);
        TestExecutionSummary s = summary.getSummary();
        System.out.println("tests found " + s.getTestsFoundCount() + " succeeded " + s.getTestsSucceededCount()
                + " failed " + s.getTotalFailureCount() + " skipped " + s.getTestsSkippedCount()
                + " aborted " + s.getTestsAbortedCount());
        s.getFailures().forEach(f -> {
            System.out.println("FAILED " + f.getTestIdentifier().getDisplayName());
            f.getException().printStackTrace(System.out);
        });
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsSucceededCount() > 0 ? 0 : 1);
    }
}
