package io.hearth.gateway.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Store} that records each call (with a copy of a collection argument) and delegates. */
final class RecordingStore implements InvocationHandler {
  /** One recorded call. */
  record Call(String method, List<Object> items, String thread) {}

  /** Runs before the delegate; may throw to simulate a failure, or block to simulate a slow disk. */
  interface Hook {
    void before(String method) throws Exception;
  }

  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Store target;
  volatile Hook hook = method -> {};

  private RecordingStore(Store target) {
    this.target = target;
  }

  static RecordingStore around(Store target) {
    return new RecordingStore(target);
  }

  Store proxy() {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, this);
  }

  List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return method.invoke(this, args);
    }
    List<Object> items = args != null && args.length == 1 && args[0] instanceof Collection<?> c
        ? new ArrayList<>(c) : List.of();
    calls.add(new Call(method.getName(), items, Thread.currentThread().getName()));
    hook.before(method.getName());
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
