/**
 * The JavaCPP binding of libtickgrad ({@link io.tickgrad.nativeio.TickgradNative}) and libtickgrad_cuda
 * ({@link io.tickgrad.nativeio.TickgradCuda}), the constants of their C headers ({@link io.tickgrad.nativeio.Abi},
 * {@link io.tickgrad.nativeio.Status}) and the loader that checks the library's ABI version
 * ({@link io.tickgrad.nativeio.NativeLibrary}). Only ints, floats, raw addresses and lengths cross the boundary;
 * functions return status codes and never throw. Nothing here checks its arguments: application code uses the
 * classes of {@code io.tickgrad.nn} and {@code io.tickgrad.tensor}, which check every length and address first.
 */
package io.tickgrad.nativeio;
