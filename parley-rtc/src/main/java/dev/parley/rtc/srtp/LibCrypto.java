package dev.parley.rtc.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The few OpenSSL 3 {@code libcrypto} EVP cipher functions the SRTP ciphers call per packet, as
 * {@code java.lang.foreign} downcall handles.
 *
 * <p>Like the transport's {@code NativeCalls}, the handles are built reflectively (the project compiles
 * for Java 21, where {@code java.lang.foreign} is a preview; the launcher's JDK is 25), and every
 * argument is an {@code int} or a {@code long} (pointers are passed as addresses, 0 for NULL), so
 * callers touch no FFM type and a call allocates nothing whatever the JIT decides. The per-packet
 * handles are linked with {@code Linker.Option.critical(false)}: no thread-state transition, which
 * suits calls as short as one packet's cipher update (they never block or call back into Java).
 *
 * <p>Why not pass the packet arrays themselves ({@code critical(true)} allows heap segments)? It was
 * tried: the {@code MemorySegment.ofArray(a).asSlice(off)} objects are only removed by C2's escape
 * analysis when everything inlines, and measured per packet that held in one JVM and not in the next
 * (0 vs 128 B per protect+unprotect; about 450 B before C2 compiles). The ciphers copy into native
 * memory instead, a few tens of nanoseconds for a 1200-byte packet, and never allocate.
 *
 * <p>{@link #UNAVAILABLE} is null when everything linked, else the reason it did not (not Linux, no
 * {@code libcrypto.so.3}, a JDK without FFM (or before 22: no critical option), native access denied,
 * or {@code -Dparley.noNativeCrypto=true}); the handles are then null.
 */
final class LibCrypto {
    static final int EVP_CTRL_AEAD_GET_TAG = 0x10;
    static final int EVP_CTRL_AEAD_SET_TAG = 0x11;
    /** With arg -1: sets the whole IV (OpenSSL 3's GCM provider, {@code setivfixed}). */
    static final int EVP_CTRL_GCM_SET_IV_FIXED = 0x12;
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
    /** {@code int EVP_CipherUpdate(ctx, out, &outl, in, inl)}; out = 0 passes additional authenticated data. */
    static final MethodHandle UPDATE = B == null ? null : B.update;
    /** {@code int EVP_CipherFinal_ex(ctx, out, &outl)}, addresses; 1 on success, else (decrypting) a tag mismatch. */
    static final MethodHandle FINAL = B == null ? null : B.finish;
    /** {@code int EVP_CIPHER_CTX_ctrl(ctx, type, arg, ptr)}. */
    static final MethodHandle CTRL = B == null ? null : B.ctrl;
    /**
     * {@code int EVP_Cipher(ctx, out, in, inl)}: for GCM, out = 0 passes additional authenticated
     * data, in = 0 finishes (computes the tag, or checks the one set); returns a negative number on
     * failure (a tag mismatch when decrypting).
     */
    static final MethodHandle CIPHER = B == null ? null : B.cipher;

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
                            MethodHandle update, MethodHandle finish, MethodHandle ctrl, MethodHandle cipher) {

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
                    f.downcall(lib, "EVP_CipherUpdate", true, int.class, long.class, long.class, long.class, long.class, int.class),
                    f.downcall(lib, "EVP_CipherFinal_ex", true, int.class, long.class, long.class, long.class),
                    f.downcall(lib, "EVP_CIPHER_CTX_ctrl", true, int.class, long.class, int.class, int.class, long.class),
                    f.downcall(lib, "EVP_Cipher", true, int.class, long.class, long.class, long.class, int.class));
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

        Ffm() throws ReflectiveOperationException {
        }

        Object library(String name) throws ReflectiveOperationException, Unavailable {
            Object global = arenaType.getMethod("global").invoke(null);
            try {
                return lookupType.getMethod("libraryLookup", String.class, arenaType).invoke(null, name, global);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw new Unavailable(name + ": " + e.getCause());
            }
        }

        /** A downcall handle of ints and longs (addresses are 64-bit integers on the platforms allowed above). */
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
            if (critical) Array.set(options, 0, optionType.getMethod("critical", boolean.class).invoke(null, false));
            return (MethodHandle) linkerType.getMethod("downcallHandle", segment, descriptorType, options.getClass())
                    .invoke(linker, symbol.get(), descriptor, options);
        }

        private Object layout(Class<?> c) throws ReflectiveOperationException {
            String field = c == int.class ? "JAVA_INT" : "JAVA_LONG";
            return valueLayout.getField(field).get(null);
        }
    }
}
