package io.tickgrad.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsWriterTest {
    private static final String JMH = "["
            + result("SgemmBench.openblas", "shape", "256x256x256_NN", 200.0, 4.0, "us/op") + ","
            + result("SgemmBench.tickgrad", "shape", "256x256x256_NN", 100.0, "\"NaN\"", "us/op") + ","
            + result("SgemmBench.openblas", "shape", "400x256x256_TN", 300.0, 3.0, "us/op") + ","
            + result("CacheBandwidthBench.openblas_sdot", "floats", "1000", 1000.0, 10.0, "ns/op") + "]";

    private static String result(String bench, String param, String value, double score, Object error, String unit) {
        return "{\"benchmark\":\"io.tickgrad.bench." + bench + "\",\"jdkVersion\":\"17\",\"params\":{\"" + param + "\":\""
                + value + "\"},\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":" + error
                + ",\"scoreUnit\":\"" + unit + "\"}}";
    }

    private static List<BenchResult> parse() throws Exception {
        return ResultsWriter.parse(new ObjectMapper().readTree(JMH));
    }

    @Test
    void shouldNameResultsByClassVariantAndParamsWithTheMethodAsEngine() throws Exception {
        List<BenchResult> results = parse();
        assertEquals("Sgemm[shape=256x256x256_NN]", results.get(0).name());
        assertEquals("openblas", results.get(0).engine());
        assertEquals("tickgrad", results.get(1).engine());
        assertEquals("CacheBandwidth.sdot[floats=1000]", results.get(3).name());
        assertEquals("openblas", results.get(3).engine());
    }

    @Test
    void shouldDeriveGflopsAndGigabytesPerSecondFromTimePerOp() throws Exception {
        List<BenchResult> results = parse();
        BenchResult gemm = results.get(0);
        assertEquals("GFLOP/s", gemm.unit());
        assertEquals(2.0 * 256 * 256 * 256 / 200e-6 / 1e9, gemm.score(), 1e-9);
        assertEquals(gemm.score() * 4.0 / 200.0, gemm.error(), 1e-9);
        BenchResult read = results.get(3);
        assertEquals("GB/s", read.unit());
        assertEquals(4.0, read.score(), 1e-12);
    }

    @Test
    void shouldConvertThroughputUnits() {
        double[] rate = ResultsWriter.toRate(2.0, 0.5, "ops/ms", 1.0);
        assertEquals(2000.0, rate[0], 1e-9);
        assertEquals(500.0, rate[1], 1e-9);
    }

    @Test
    void shouldPairEnginesOnTheSameShapeAndReportAMissingSide() throws Exception {
        List<ResultsWriter.Ratio> ratios = ResultsWriter.ratios(parse());
        ResultsWriter.Ratio same = ratios.stream().filter(r -> r.name().equals("Sgemm[shape=256x256x256_NN]")).findFirst().orElseThrow();
        assertEquals(2.0, same.value(), 1e-12);
        ResultsWriter.Ratio missing = ratios.stream().filter(r -> r.name().equals("Sgemm[shape=400x256x256_TN]")).findFirst().orElseThrow();
        assertNull(missing.numerator());
        assertTrue(Double.isNaN(missing.value()));
        String md = ResultsWriter.toMarkdown(parse(), new ObjectMapper().readTree(JMH), Map.of(), null);
        assertTrue(md.contains("PARTIAL"));
        assertTrue(md.contains("missing tickgrad"));
    }

    @Test
    void shouldWriteUnknownErrorsAsNullInResultsJson() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode json = mapper.readTree(ResultsWriter.toJson(mapper, parse()));
        assertEquals(4, json.size());
        assertTrue(json.get(1).get("error").isNull());
        assertEquals("tickgrad", json.get(1).get("engine").asText());
    }

    @Test
    void shouldAcceptNonJmhRecordsAndPairThemByName() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<BenchResult> results = ResultsWriter.parseRecords(mapper.readTree("["
            + "{\"name\":\"QueueLatency[p=50]\",\"engine\":\"tickgrad\",\"unit\":\"ns/op\",\"score\":900,\"error\":null},"
            + "{\"name\":\"Predict[network=mlp32]\",\"engine\":\"dl4j\",\"unit\":\"ns/op\",\"score\":50000}]"), "extra.json");
        assertEquals(2, results.size());
        assertEquals("QueueLatency[p=50]", results.get(0).name());
        assertTrue(Double.isNaN(results.get(0).error()));
        assertEquals(50000.0, results.get(1).score());
        assertEquals("PredictBench", results.get(1).benchmark());
    }

    @Test
    void shouldBoundTheRatioOfMediansWithOnlineLearningBesideServingAlone() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        String serving = "{\"name\":\"QueueLatency.p50[network=mlp32,rate=20000]\",\"engine\":\"tickgrad\","
            + "\"unit\":\"us\",\"score\":2.0},";
        String ratio = "{\"name\":\"QueueLatency.p50ratio[network=mlp32,rate=20000,online=whole]\","
            + "\"engine\":\"tickgrad\",\"unit\":\"x\",\"score\":";
        String meets = ResultsWriter.toMarkdown(ResultsWriter.parseRecords(mapper.readTree("[" + serving + ratio
            + "1.25}]"), "extra.json"), mapper.readTree("[]"), Map.of(), null);
        assertTrue(meets.contains("| 2.00 us | ≤ 10.00 us | meets |"), meets);
        assertTrue(meets.contains("| 1.25 x | ≤ 1.50 x | meets |"), meets);
        String above = ResultsWriter.toMarkdown(ResultsWriter.parseRecords(mapper.readTree("[" + serving + ratio
            + "1.6}]"), "extra.json"), mapper.readTree("[]"), Map.of(), null);
        assertTrue(above.contains("| 1.60 x | ≤ 1.50 x | above |"), above);
    }

    @Test
    void shouldBoundTheTrainingRatioByTheStepsGemmFlopsAtTheFastestSgemmRate() throws Exception {
        double flops = io.tickgrad.bench.TrainStepBench.stepFlops(256, "head");
        String jmh = "["
            + result("SgemmBench.tickgrad", "shape", "256x256x256_NN", 2.0 * 256 * 256 * 256 / 1e5,
                "\"NaN\"", "us/op") + ","
            + "{\"benchmark\":\"io.tickgrad.bench.TrainStepBench.tickgrad\",\"params\":{\"batch\":\"256\",\"mode\":\"head\"},"
            + "\"primaryMetric\":{\"score\":2000.0,\"scoreError\":1.0,\"scoreUnit\":\"us/op\"}},"
            + "{\"benchmark\":\"io.tickgrad.bench.dl4j.TrainStepBench.dl4j\",\"params\":{\"batch\":\"256\",\"mode\":\"head\"},"
            + "\"primaryMetric\":{\"score\":5000.0,\"scoreError\":1.0,\"scoreUnit\":\"us/op\"}}]";
        List<BenchResult> results = ResultsWriter.parse(new ObjectMapper().readTree(jmh));
        StringBuilder md = new StringBuilder();
        ResultsWriter.appendTrainingCeilings(md, results);
        // SGEMM at 100 GFLOP/s: the head step's floor is flops / 100e3 us
        double floorUs = flops / 100e3;
        String row = String.format(java.util.Locale.ROOT, "| TrainStep[batch=256,mode=head] | 2000.0 | %s | 5000.0 | 2.50 | %.2f |",
            ResultsWriter.fmt(floorUs), 5000.0 / floorUs);
        assertTrue(md.toString().contains(row), md + "\nexpected " + row);
        assertTrue(md.toString().contains("at 100.0 GFLOP/s"), md.toString());
    }

    @Test
    void shouldListEachSetOfJmhSettingsWithTheClassesThatRanWithIt() throws Exception {
        String quick = "\"forks\":1,\"warmupIterations\":2,\"warmupTime\":\"1 s\",\"measurementIterations\":3,"
            + "\"measurementTime\":\"1 s\"";
        String train = "\"forks\":1,\"warmupIterations\":6,\"warmupTime\":\"2 s\",\"measurementIterations\":6,"
            + "\"measurementTime\":\"2 s\"";
        JsonNode one = new ObjectMapper().readTree("[{\"benchmark\":\"io.tickgrad.bench.SgemmBench.openblas\"," + quick + "}]");
        assertEquals("1 fork(s), 2 x 1 s warm-up, 3 x 1 s measured", ResultsWriter.jmhSettings(one));
        JsonNode two = new ObjectMapper().readTree("[{\"benchmark\":\"io.tickgrad.bench.SgemmBench.openblas\"," + quick + "},"
            + "{\"benchmark\":\"io.tickgrad.bench.TrainStepBench.tickgrad\"," + train + "},"
            + "{\"benchmark\":\"io.tickgrad.bench.dl4j.TrainStepBench.dl4j\"," + train + "}]");
        assertEquals("1 fork(s), 2 x 1 s warm-up, 3 x 1 s measured (SgemmBench); "
            + "1 fork(s), 6 x 2 s warm-up, 6 x 2 s measured (TrainStepBench)", ResultsWriter.jmhSettings(two));
    }

    @Test
    void shouldRateTheCachedFeatureHeadStepByTheHeadsFlopsAndPairItWithDeeplearning4j() throws Exception {
        String jmh = "["
            + "{\"benchmark\":\"io.tickgrad.bench.HeadStepBench.tickgrad\",\"params\":{\"batch\":\"256\"},"
            + "\"primaryMetric\":{\"score\":20.0,\"scoreError\":1.0,\"scoreUnit\":\"us/op\"}},"
            + "{\"benchmark\":\"io.tickgrad.bench.dl4j.HeadStepBench.dl4j\",\"params\":{\"batch\":\"256\"},"
            + "\"primaryMetric\":{\"score\":300.0,\"scoreError\":1.0,\"scoreUnit\":\"us/op\"}}]";
        List<BenchResult> results = ResultsWriter.parse(new ObjectMapper().readTree(jmh));
        assertEquals("HeadStep[batch=256]", results.get(0).name());
        assertEquals("GFLOP/s", results.get(0).unit());
        assertEquals(4.0 * 256 * 256 * 6 / 20e-6 / 1e9, results.get(0).score(), 1e-9);
        ResultsWriter.Ratio ratio = ResultsWriter.ratios(results).stream()
            .filter(r -> r.name().equals("HeadStep[batch=256]")).findFirst().orElseThrow();
        assertEquals(15.0, ratio.value(), 1e-9);
    }

    @Test
    void shouldPairLibTorchWithTickgradOnOneThreadAndOnAllCores() throws Exception {
        String jmh = "["
            + "{\"benchmark\":\"io.tickgrad.bench.TrainStepBench.tickgrad\",\"params\":{\"batch\":\"256\",\"mode\":\"whole\"},"
            + "\"primaryMetric\":{\"score\":2000.0,\"scoreError\":1.0,\"scoreUnit\":\"us/op\"}},"
            + "{\"benchmark\":\"io.tickgrad.bench.TrainStepBench.tickgrad_allcores\",\"params\":{\"batch\":\"256\",\"mode\":\"whole\"},"
            + "\"primaryMetric\":{\"score\":1000.0,\"scoreError\":1.0,\"scoreUnit\":\"us/op\"}},"
            + "{\"benchmark\":\"io.tickgrad.bench.libtorch.TrainStepBench.libtorch\",\"params\":{\"batch\":\"256\",\"mode\":\"whole\"},"
            + "\"primaryMetric\":{\"score\":3000.0,\"scoreError\":1.0,\"scoreUnit\":\"us/op\"}},"
            + "{\"benchmark\":\"io.tickgrad.bench.libtorch.TrainStepBench.libtorch_allcores\",\"params\":{\"batch\":\"256\",\"mode\":\"whole\"},"
            + "\"primaryMetric\":{\"score\":4000.0,\"scoreError\":1.0,\"scoreUnit\":\"us/op\"}}]";
        List<ResultsWriter.Ratio> ratios = ResultsWriter.ratios(ResultsWriter.parse(new ObjectMapper().readTree(jmh)));
        double oneThread = ratios.stream().filter(r -> r.rule().label().startsWith("tickgrad / LibTorch (1 thread each)"))
            .findFirst().orElseThrow().value();
        double allCores = ratios.stream().filter(r -> r.rule().label().startsWith("tickgrad / LibTorch (all cores each)"))
            .findFirst().orElseThrow().value();
        double libtorchScaling = ratios.stream().filter(r -> r.rule().label().startsWith("LibTorch training step, all cores"))
            .findFirst().orElseThrow().value();
        assertEquals(1.5, oneThread, 1e-9);
        assertEquals(4.0, allCores, 1e-9);
        assertEquals(0.75, libtorchScaling, 1e-9);
    }

    @Test
    void shouldCreditAHeadOnlyStepWithTheFullForwardAndTheHeadGradientOnly() {
        double whole = io.tickgrad.bench.TrainStepBench.stepFlops(32, "whole");
        double head = io.tickgrad.bench.TrainStepBench.stepFlops(32, "head");
        double forward = 2.0 * 32 * (400 * 256 + 4 * 256 * 256 + 256 * 6);
        assertEquals(forward + 2.0 * 32 * 256 * 6, head);
        assertEquals(3 * forward - 2.0 * 32 * 400 * 256, whole);
        assertEquals(whole, io.tickgrad.bench.TrainStepBench.stepFlops(32));
    }
}
