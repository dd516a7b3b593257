package io.threadleak.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * Retransforms {@code java.lang.Thread} and {@code java.lang.VirtualThread} (JDK 21+) so that starting and
 * ending a thread calls the bridge. Only advice is inlined into existing methods, with no new members, so
 * retransforming the already loaded classes is allowed; a plain transformer is used rather than ByteBuddy's
 * {@code AgentBuilder}, whose set-up reaches for {@code sun.misc.Unsafe} (a warning on JDK 24+).
 *
 * <p>Hook points, checked with {@code javap -p} on JDK 17 and 25: {@code Thread.start()} on both,
 * {@code Thread.start(ThreadContainer)} on 21+ (thread-per-task executors call it directly),
 * {@code VirtualThread.start()} and {@code start(ThreadContainer)}, {@code Thread.exit()} (private; the VM
 * calls it as a platform thread ends) and {@code VirtualThread.afterDone(boolean)} for virtual threads.
 */
public final class ThreadInstrumentation implements ClassFileTransformer {

    private static final Set<String> TARGETS = Set.of("java/lang/Thread", "java/lang/VirtualThread");

    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    private ThreadInstrumentation() {
    }

    /** Installs the advice; returns the problems met (empty when all went well). */
    public static List<String> install(Instrumentation inst) {
        ThreadInstrumentation transformer = new ThreadInstrumentation();
        List<Class<?>> classes = new ArrayList<>();
        for (String name : TARGETS) {
            try {
                classes.add(Class.forName(name.replace('/', '.'), false, null));
            } catch (ClassNotFoundException e) {
                // VirtualThread exists from JDK 21 on
            }
        }
        inst.addTransformer(transformer, true);
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Exception | LinkageError e) {
            transformer.errors.add("retransformation failed: " + e);
        } finally {
            inst.removeTransformer(transformer);
        }
        return List.copyOf(transformer.errors);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (loader != null || className == null || !TARGETS.contains(className)) {
            return null;
        }
        try {
            String name = className.replace('/', '.');
            ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes),
                    ClassFileLocator.ForClassLoader.ofBootLoader());
            return new ByteBuddy()
                    .with(TypeValidation.DISABLED)
                    .with(Implementation.Context.Disabled.Factory.INSTANCE)
                    .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                    .redefine(TypePool.Default.of(locator).describe(name).resolve(), locator)
                    .visit(Advice.to(ThreadStartAdvice.class)
                            .on(named("start").and(takesArguments(0).or(takesArguments(1))).and(not(isAbstract()))))
                    .visit(Advice.to(ThreadExitAdvice.class)
                            .on(named("exit").and(takesArguments(0)).or(named("afterDone").and(takesArguments(1)))))
                    .make()
                    .getBytes();
        } catch (Throwable t) {
            errors.add(className + ": " + t);
            return null;
        }
    }
}
