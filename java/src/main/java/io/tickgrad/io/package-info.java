/**
 * Chronicle Queue wiring, the only package that imports Chronicle types: tick and prediction writers (one per
 * writing thread), read-only sources that tail a queue in place (one polling thread each), queue opening and
 * checks, and the OS lock that makes one process the owner of an output. Each writer and source closes its queue
 * in {@code close()}. Needs the queue JVM flags ({@link io.tickgrad.JvmFlags#QUEUE_FLAGS}).
 */
package io.tickgrad.io;
