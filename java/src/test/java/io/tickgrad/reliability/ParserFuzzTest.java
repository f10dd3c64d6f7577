package io.tickgrad.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickgrad.cli.NumericCsv;
import io.tickgrad.market.CsvTickImporter;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickDescriptor;
import io.tickgrad.market.TimeFormat;
import io.tickgrad.market.Trades;
import io.tickgrad.model.Architecture;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.SafeTensors;
import io.tickgrad.model.TorchImporter;
import io.tickgrad.model.keras.KerasModelImporter;
import io.tickgrad.nativeio.TickgradNative;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.serve.InferenceService;
import io.tickgrad.serve.ServingModel;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Coverage-guided fuzzing (Jazzer) of every parser that reads files or text from outside: safetensors, tickgrad
 * checkpoints, torch safetensors import, Keras/TF.js model.json with its weight shard, the numeric CSV of the CLI,
 * the trades CSV, both forms of the architecture, the tick CSV importer, and the tick record decoder feeding a live
 * serving loop.
 *
 * <p>Without {@code JAZZER_FUZZ=1} (the default, and in {@code mvn verify}) each target runs once on every input
 * under {@code ParserFuzzTestInputs/<method>/} in the test resources: the seed corpus and the inputs that once
 * found a bug. With {@code JAZZER_FUZZ=1} one target at a time is fuzzed for its {@code maxDuration} (see
 * README, Reliability). The targets run only in the Surefire execution {@code fuzz-regression}, in a JVM of
 * their own, because Jazzer's agent instruments (and logs) every class loaded after it. Every input must be either accepted or refused as {@link Rejections} allows; a loaded
 * network is closed and no native memory may stay allocated.
 */
@EnabledIfSystemProperty(named = "tickgrad.fuzz.jvm", matches = "true",
    disabledReason = "runs in the fuzz-regression Surefire execution, in a JVM of its own")
class ParserFuzzTest {
    private static final Path DIR = tempDir();
    private static final NativeCpuBackend BACKEND = NativeCpuBackend.create();
    private static final Architecture TORCH_ARCH = Architecture.parseSpec("4:dense(3),relu,layer_norm,dense(2)");

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("tickgrad-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(String name, byte[] data) {
        try {
            Path file = DIR.resolve(name);
            Files.write(file, data);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void safeTensorsRead(byte[] data) {
        Path file = write("fuzz.safetensors", data);
        try {
            SafeTensors.read(file);
        } catch (Throwable t) {
            Rejections.requireClear(t, file.toString());
        }
    }

    @FuzzTest(maxDuration = "20s")
    void checkpointLoad(byte[] data) {
        Path file = write("fuzz-checkpoint.safetensors", data);
        long before = TickgradNative.tg_allocated_bytes();
        long heapBefore = allocatedHeap();
        try (Network net = Checkpoint.load(file, BACKEND, 4)) {
            requireBoundedSize(net.parameterSlab().byteLength() + (long) net.maxBatch() * 4 * 8
                * (net.inputs() + net.outputs()), data.length, "the loaded network's slabs");
            net.predict(1);
        } catch (Throwable t) {
            Rejections.requireClear(t, file.toString());
        }
        requireBoundedSize(allocatedHeap() - heapBefore, data.length, "heap allocated by the load");
        requireNoLeak(before);
    }

    /**
     * Size fields (an architecture's widths, tensor shapes, header lengths) must be checked against what the file
     * holds before anything is allocated: a blow-up is a finding. A loader may allocate a few times the file (floats
     * from narrower dtypes, parsed JSON) plus the bounded buffers of a network whose input no tensor backs
     * ({@code ModelLimits.MAX_UNBACKED_WIDTH}), never gigabytes for a few bytes.
     */
    private static void requireBoundedSize(long bytes, int inputLength, String what) {
        long bound = 256L * 1024 * 1024 + 64L * inputLength;
        if (bytes > bound) {
            throw new AssertionError(what + ": " + bytes + " bytes for an input of " + inputLength
                + " bytes; expected at most " + bound);
        }
    }

    private static long allocatedHeap() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
            .getCurrentThreadAllocatedBytes();
    }

    @FuzzTest(maxDuration = "20s")
    void torchImport(byte[] data) {
        Path file = write("fuzz-torch.safetensors", data);
        long before = TickgradNative.tg_allocated_bytes();
        long heapBefore = allocatedHeap();
        try (Network net = TorchImporter.importSequential(file, TORCH_ARCH, BACKEND, 4, "", Map.of())) {
            net.predict(1);
        } catch (Throwable t) {
            Rejections.requireClear(t, file.toString());
        }
        requireBoundedSize(allocatedHeap() - heapBefore, data.length, "heap allocated by the import");
        requireNoLeak(before);
    }

    /** The input is model.json, a zero byte, then the bytes of the shard "s1" (the seeds' manifests name it). */
    @FuzzTest(maxDuration = "20s")
    void kerasImport(byte[] data) {
        int split = 0;
        while (split < data.length && data[split] != 0) {
            split++;
        }
        Path model = write("model.json", Arrays.copyOfRange(data, 0, split));
        write("s1", split < data.length ? Arrays.copyOfRange(data, split + 1, data.length) : new byte[0]);
        long heapBefore = allocatedHeap();
        try {
            KerasModelImporter.read(model);
        } catch (Throwable t) {
            // a refusal names model.json or the shard, both in DIR
            Rejections.requireClear(t, DIR.toString());
        }
        requireBoundedSize(allocatedHeap() - heapBefore, data.length, "heap allocated by the import");
    }

    @FuzzTest(maxDuration = "20s")
    void numericCsv(byte[] data) {
        Path file = write("fuzz.csv", data);
        try {
            NumericCsv csv = NumericCsv.read(file);
            if ((long) csv.rows() * csv.columns() != csv.values().length) {
                throw new AssertionError(csv.rows() + " rows of " + csv.columns() + " but " + csv.values().length);
            }
        } catch (Throwable t) {
            Rejections.requireClear(t, file.toString());
        }
    }

    /** A serving loop on a small network: what the tick decoder target feeds. */
    private static final FeatureSpec TICK_SPEC =
        new FeatureSpec(64, 32, new int[] {1, 4}, 16, 16, true, true, null, LabelSpec.ticks(5, 1), 0, 0);
    private static final Network TICK_NET =
        Network.builder(TICK_SPEC.width()).dense(8).relu().dense(1).sigmoid().build(BACKEND, 1, 5);
    private static final ServingModel TICK_MODEL = ServingModel.of(TICK_NET, TICK_SPEC, 1L);

    /**
     * The input is a run of 80-byte tick records read in place through the flyweight (the queue's layout), every
     * bit pattern included: the serving loop must never throw, and every tick is either predicted or counted bad.
     */
    @FuzzTest(maxDuration = "20s")
    void tickDecoder(byte[] data) {
        long[] predictions = new long[1];
        InferenceService service = new InferenceService(TICK_MODEL, p -> predictions[0]++, new OffsetEpochNanoClock(),
            null);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[TickDescriptor.LENGTH]);
        Tick tick = new Tick().wrap(buffer, 0);
        int records = data.length / TickDescriptor.LENGTH;
        for (int r = 0; r < records; r++) {
            buffer.putBytes(0, data, r * TickDescriptor.LENGTH, TickDescriptor.LENGTH);
            service.onTick(tick);
        }
        if (service.ticks() + service.badTicks().total() != records) {
            throw new AssertionError(records + " records but " + service.ticks() + " served and "
                + service.badTicks().total() + " bad");
        }
    }

    /** A CSV of quotes and trades with ISO or epoch times through the tick importer: bad rows counted, never thrown. */
    @FuzzTest(maxDuration = "20s")
    void tickCsv(byte[] data) {
        String source = "fuzz-ticks.csv";
        CsvTickImporter importer = new CsvTickImporter("time", "price", "size", "bid", "ask", null, null,
            TimeFormat.AUTO, 7);
        long[] ticks = new long[1];
        try {
            CsvTickImporter.Report report = importer.read(new BufferedReader(new InputStreamReader(
                new ByteArrayInputStream(data), StandardCharsets.UTF_8)), source, t -> ticks[0]++, 1,
                new OffsetEpochNanoClock());
            if (report.ticks() != ticks[0] || report.ticks() + report.badRows() != report.rows()) {
                throw new AssertionError("report " + report + " but " + ticks[0] + " ticks handed on");
            }
        } catch (Throwable t) {
            Rejections.requireClear(t, source);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void tradesCsv(byte[] data) {
        String source = "fuzz-trades.csv";
        try {
            Trades trades = Trades.readCsv(new ByteArrayInputStream(data), source);
            for (int i = 0; i < trades.size(); i++) {
                if (!(trades.price(i) > 0)) {
                    throw new AssertionError("accepted a non-positive price at row " + i);
                }
            }
        } catch (Throwable t) {
            Rejections.requireClear(t, source);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void architectureJson(byte[] data) {
        String source = "fuzz.safetensors";
        try {
            Architecture.fromJson(new String(data, StandardCharsets.UTF_8), source, "__metadata__.tickgrad.architecture");
        } catch (Throwable t) {
            Rejections.requireClear(t, source);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void architectureSpec(byte[] data) {
        try {
            Architecture.parseSpec(new String(data, StandardCharsets.UTF_8));
        } catch (Throwable t) {
            Rejections.requireClear(t, "architecture '");
        }
    }

    private static void requireNoLeak(long before) {
        long after = TickgradNative.tg_allocated_bytes();
        if (after != before) {
            throw new AssertionError("native bytes allocated before " + before + ", after " + after);
        }
    }
}
