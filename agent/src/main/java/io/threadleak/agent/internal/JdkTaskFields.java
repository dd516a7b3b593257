package io.threadleak.agent.internal;

import io.threadleak.bootstrap.JdkFields;
import io.threadleak.bootstrap.ThreadLeakBridge;
import io.threadleak.core.sample.TaskFields;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * The sampler's view of JDK-private task and future state, read by {@link JdkFields} in the bootstrap loader.
 * {@code java.util.concurrent} is opened to the bootstrap loader's unnamed module only, where nothing but the
 * bridge lives, never to the class path the application shares with the agent.
 */
final class JdkTaskFields implements TaskFields {

    private JdkTaskFields() {
    }

    /** Opens the package and resolves the fields; returns {@link TaskFields#NONE} and the problem on failure. */
    static Map.Entry<TaskFields, String> open(Instrumentation inst) {
        try {
            Module javaBase = Object.class.getModule();
            inst.redefineModule(javaBase, Set.of(), Map.of(),
                    Map.of("java.util.concurrent", Set.of(ThreadLeakBridge.class.getModule())), Set.of(), Map.of());
            String problem = JdkFields.open();
            return problem == null ? Map.entry(new JdkTaskFields(), "") : Map.entry(TaskFields.NONE, problem);
        } catch (RuntimeException | LinkageError e) {
            return Map.entry(TaskFields.NONE, e.toString());
        }
    }

    @Override
    public int futureTaskState(Object task) {
        return JdkFields.futureTaskState(task);
    }

    @Override
    public Thread futureTaskRunner(Object task) {
        return JdkFields.futureTaskRunner(task);
    }

    @Override
    public Object futureTaskBody(Object task) {
        return JdkFields.futureTaskBody(task);
    }

    @Override
    public Boolean completableDone(Object future) {
        return JdkFields.completableDone(future);
    }

    @Override
    public Object asyncTarget(Object task) {
        return JdkFields.asyncTarget(task);
    }
}
