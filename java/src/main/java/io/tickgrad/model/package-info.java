/**
 * Model files: tickgrad's own checkpoint ({@link io.tickgrad.model.Checkpoint}: a safetensors file with the
 * architecture, the trainable mask and feature statistics in its metadata), numbered checkpoint directories
 * ({@link io.tickgrad.model.CheckpointStore}), safetensors reading and writing, and PyTorch weight import. Every file
 * is written atomically (temporary file, fsync, rename); a file that is truncated, corrupt or does not match is
 * refused with a {@link io.tickgrad.model.CheckpointFormatException} naming the file, the field and what was
 * expected. A loaded network is new native memory that the caller owns and closes.
 */
package io.tickgrad.model;
