/**
 * Small utilities shared by the library: atomic file writes (temporary file, fsync, rename) and the check that an
 * output file can be written before work starts. Cold path, any thread, no native memory.
 */
package io.tickgrad.util;
