package io.threadleak.core.registry;

/**
 * Whether a {@code Thread} class overrides one of {@code Thread}'s public no-argument methods: calling it on such a
 * thread would run application code, which the agent never does. Computed once per class.
 */
public final class ThreadOverride extends ClassValue<Boolean> {

    private final String method;

    /** @param method the name of a public no-argument method of {@code Thread}, e.g. {@code getState} */
    public ThreadOverride(String method) {
        this.method = method;
    }

    /** Whether calling the method on this thread could run code that is not the JDK's. */
    public boolean of(Thread thread) {
        return thread.getClass() != Thread.class && get(thread.getClass());
    }

    @Override
    protected Boolean computeValue(Class<?> type) {
        try {
            return type.getMethod(method).getDeclaringClass() != Thread.class;
        } catch (NoSuchMethodException e) {
            return Boolean.TRUE;
        }
    }
}
