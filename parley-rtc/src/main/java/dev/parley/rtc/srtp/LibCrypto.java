package dev.parley.rtc.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The few OpenSSL 3 {@code libcrypto} EVP cipher functions the SRTP ciphers call per packet, as
 * {@code java.lang.foreign} downcall handles.
 *
 * <p>Like the transport's {@code NativeCalls}, the handles are built reflectively (the project compiles
 * for Java 21, where {@code java.lang.foreign} is a preview; the launcher's JDK is 25). Pointers to
 * native memory are passed as {@code long} addresses. The packet buffers themselves are Java heap
 * arrays passed without a copy: the per-packet handles are linked with {@code Linker.Option.critical(true)},
 * which allows heap segments, and are adapted here to take {@code (byte[] array, int offset)} pairs,
 * so callers touch no FFM type and, once the JIT has inlined the adapters, allocate nothing.
 * Critical calls must be short and never call back into Java: EVP cipher updates on one packet are.
 *
 * <p>{@link #UNAVAILABLE} is null when everything linked, else the reason it did not (not Linux, no
 * {@code libcrypto.so.3}, a JDK without FFM or without critical heap access, native access denied,
 * or {@code -Dparley.noNativeCrypto=true}); the handles are then null.
 */
final class LibCrypto {
    static final int EVP_CTRL_AEAD_GET_TAG = 0x10;
    static final int EVP_CTRL_AEAD_SET_TAG = 0x11;
    static final String OFF_PROPERTY = "parley.noNativeCrypto";

    private static final Bindings B;
    /** Why native crypto cannot be used, or null if it can. */
    static final String UNAVAILABLE;

    static {
        Bindings b = null;
        String why;
        try {
            b = Bindings.load();
            why = null;
        } catch (Unavailable e) {
            why = e.getMessage();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            why = e.toString();
        }
        B = b;
        UNAVAILABLE = why;
    }

    /** {@code EVP_CIPHER_CTX *EVP_CIPHER_CTX_new(void)}, as an address. */
    static final MethodHandle CTX_NEW = B == null ? null : B.ctxNew;
    /** {@code void EVP_CIPHER_CTX_free(EVP_CIPHER_CTX *)}. */
    static final MethodHandle CTX_FREE = B == null ? null : B.ctxFree;
    /** {@code const EVP_CIPHER *EVP_aes_128_gcm(void)}. */
    static final MethodHandle AES_128_GCM = B == null ? null : B.aes128Gcm;
    /** {@code int EVP_CipherInit_ex(ctx, cipher, engine, key, iv, enc)}, every pointer an address (0 = NULL). */
    static final MethodHandle INIT = B == null ? null : B.init;
    /** {@code int EVP_CipherUpdate(ctx, out, &outl, in, inl)} as {@code (long ctx, byte[] out, int outOff, long outl, byte[] in, int inOff, int inl)}. */
    static final MethodHandle UPDATE = B == null ? null : B.update;
    /** {@code EVP_CipherUpdate(ctx, NULL, &outl, aad, len)} (additional authenticated data) as {@code (long ctx, long outl, byte[] in, int inOff, int inl)}. */
    static final MethodHandle UPDATE_AAD = B == null ? null : B.updateAad;
    /** {@code int EVP_CipherFinal_ex(ctx, out, &outl)}, addresses; 1 on success, else (decrypting) a tag mismatch. */
    static final MethodHandle FINAL = B == null ? null : B.finish;
    /** {@code int EVP_CIPHER_CTX_ctrl(ctx, type, arg, ptr)} with ptr into a heap array: {@code (long ctx, int type, int arg, byte[] p, int pOff)}. */
    static final MethodHandle CTRL = B == null ? null : B.ctrl;

    private LibCrypto() {
    }

    /** The native address of a direct buffer's first byte. */
    static long address(ByteBuffer direct) {
        try {
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            Object s = segment.getMethod("ofBuffer", java.nio.Buffer.class).invoke(null, direct);
            return (long) segment.getMethod("address").invoke(s);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Unavailable extends Exception {
        Unavailable(String why) {
            super(why, null, false, false);
        }
    }

    private record Bindings(MethodHandle ctxNew, MethodHandle ctxFree, MethodHandle aes128Gcm, MethodHandle init,
                            MethodHandle update, MethodHandle updateAad, MethodHandle finish, MethodHandle ctrl) {

        static Bindings load() throws ReflectiveOperationException, Unavailable {
            if (Boolean.getBoolean(OFF_PROPERTY)) throw new Unavailable("-D" + OFF_PROPERTY + "=true");
            String arch = System.getProperty("os.arch", "");
            if (!System.getProperty("os.name", "").toLowerCase().contains("linux")
                    || !(arch.equals("amd64") || arch.equals("aarch64"))) {
                throw new Unavailable("not Linux on x86-64 or aarch64");
            }
            Ffm f = new Ffm();
            Object lib = f.library("libcrypto.so.3");
            return new Bindings(
                    f.downcall(lib, "EVP_CIPHER_CTX_new", false, long.class),
                    f.downcall(lib, "EVP_CIPHER_CTX_free", false, void.class, long.class),
                    f.downcall(lib, "EVP_aes_128_gcm", false, long.class),
                    f.downcall(lib, "EVP_CipherInit_ex", true, int.class, long.class, long.class, long.class, long.class, long.class, int.class),
                    f.heapArrays(f.downcall(lib, "EVP_CipherUpdate", true, int.class, long.class, f.segment, long.class, f.segment, int.class), 1, 3),
                    f.heapArrays(MethodHandles.insertArguments(
                            f.downcall(lib, "EVP_CipherUpdate", true, int.class, long.class, long.class, long.class, f.segment, int.class), 1, 0L), 2),
                    f.downcall(lib, "EVP_CipherFinal_ex", true, int.class, long.class, long.class, long.class),
                    f.heapArrays(f.downcall(lib, "EVP_CIPHER_CTX_ctrl", true, int.class, long.class, int.class, int.class, f.segment), 3));
        }
    }

    /** Reflective access to {@code java.lang.foreign}. */
    private static final class Ffm {
        final Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
        final Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
        final Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
        final Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
        final Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
        final Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
        final Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
        final Class<?> arenaType = Class.forName("java.lang.foreign.Arena");
        final Object linker = linkerType.getMethod("nativeLinker").invoke(null);
        /** {@code (byte[] a, long off) -> MemorySegment.ofArray(a).asSlice(off)}. */
        final MethodHandle slice;

        Ffm() throws ReflectiveOperationException {
            MethodHandles.Lookup pub = MethodHandles.publicLookup();
            MethodHandle ofArray = pub.findStatic(segment, "ofArray", MethodType.methodType(segment, byte[].class));
            MethodHandle asSlice = pub.findVirtual(segment, "asSlice", MethodType.methodType(segment, long.class));
            slice = MethodHandles.collectArguments(asSlice, 0, ofArray);
        }

        Object library(String name) throws ReflectiveOperationException, Unavailable {
            Object global = arenaType.getMethod("global").invoke(null);
            try {
                return lookupType.getMethod("libraryLookup", String.class, arenaType).invoke(null, name, global);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw new Unavailable(name + ": " + e.getCause());
            }
        }

        /** A downcall handle; a {@link #segment} parameter is an ADDRESS, a long is a 64-bit integer (addresses). */
        MethodHandle downcall(Object lib, String name, boolean critical, Class<?> ret, Class<?>... args)
                throws ReflectiveOperationException, Unavailable {
            Optional<?> symbol = (Optional<?>) lookupType.getMethod("find", String.class).invoke(lib, name);
            if (symbol.isEmpty()) throw new Unavailable("libcrypto has no " + name);
            Object layouts = Array.newInstance(layoutType, args.length);
            for (int i = 0; i < args.length; i++) Array.set(layouts, i, layout(args[i]));
            Object descriptor = ret == void.class
                    ? descriptorType.getMethod("ofVoid", layouts.getClass()).invoke(null, layouts)
                    : descriptorType.getMethod("of", layoutType, layouts.getClass()).invoke(null, layout(ret), layouts);
            Object options = Array.newInstance(optionType, critical ? 1 : 0);
            if (critical) Array.set(options, 0, optionType.getMethod("critical", boolean.class).invoke(null, true));
            return (MethodHandle) linkerType.getMethod("downcallHandle", segment, descriptorType, options.getClass())
                    .invoke(linker, symbol.get(), descriptor, options);
        }

        private Object layout(Class<?> c) throws ReflectiveOperationException {
            String field = c == int.class ? "JAVA_INT" : c == long.class ? "JAVA_LONG" : "ADDRESS";
            return valueLayout.getField(field).get(null);
        }

        /**
         * Replaces each MemorySegment parameter at {@code positions} (ascending, of the original handle)
         * by {@code (byte[] array, int offset)}.
         */
        MethodHandle heapArrays(MethodHandle h, int... positions) {
            MethodHandle fromArray = slice.asType(MethodType.methodType(segment, byte[].class, int.class));
            for (int i = positions.length - 1; i >= 0; i--) h = MethodHandles.collectArguments(h, positions[i], fromArray);
            return h;
        }
    }
}
