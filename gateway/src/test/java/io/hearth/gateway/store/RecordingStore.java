package io.hearth.gateway.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Store} that records each call of its concern stores (with a copy of a collection
 * argument) and delegates. Calls are named by concern and method: {@code "states.save"}.
 */
final class RecordingStore {
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
    return proxy(Store.class, target, (proxy, method, args) -> {
      Object result = invoke(method, target, args);
      if (method.getParameterCount() == 0 && method.getReturnType().isInterface()) {
        return concern(method.getReturnType(), result, method.getName() + ".");
      }
      return result;
    });
  }

  List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  private <T> T concern(Class<T> type, Object store, String prefix) {
    return proxy(type, store, (proxy, method, args) -> {
      String name = prefix + method.getName();
      List<Object> items = args != null && args.length == 1 && args[0] instanceof Collection<?> c
          ? new ArrayList<>(c) : List.of();
      calls.add(new Call(name, items, Thread.currentThread().getName()));
      hook.before(name);
      return invoke(method, store, args);
    });
  }

  private static <T> T proxy(Class<T> type, Object target, InvocationHandler handler) {
    InvocationHandler objectMethodsToTarget = (proxy, method, args) -> method.getDeclaringClass() == Object.class
        ? method.invoke(target, args) : handler.invoke(proxy, method, args);
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, objectMethodsToTarget));
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
