package io.tickgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nativeio.TickgradNative;
import org.junit.jupiter.api.Test;

class NativeLoadTest {
    @Test
    void shouldLoadTheNativeLibraryAndAllocateAlignedMemory() {
        assertEquals(Abi.VERSION, TickgradNative.tg_abi_version());
        long before = TickgradNative.tg_allocated_bytes();
        long address = TickgradNative.tg_alloc(100);
        assertNotEquals(0, address);
        assertEquals(0, address % 64);
        TickgradNative.tg_free(address);
        assertEquals(before, TickgradNative.tg_allocated_bytes());
    }
}
