using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Abstractions.Telemetry;
using Runtime.Silo.Metrics;
using Runtime.Silo.Tests.Testing;

namespace Runtime.Silo.Tests.Metrics;

public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void WriteSample_LabelValuesAndHelp_Escaped()
    {
        var writer = new PrometheusTextWriter();
        writer.WriteFamily("m_total", "counter", "line one\nback\\slash");
        writer.WriteSample("m_total", [new("path", "a\"b\\c\nd"), new("bad-name", "x")], 1.5);

        Assert.Equal(
            "# HELP m_total line one\\nback\\\\slash\n# TYPE m_total counter\nm_total{path=\"a\\\"b\\\\c\\nd\",bad_name=\"x\"} 1.5\n",
            writer.ToString());
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.001, "0.001")]
    [InlineData(12345678.0, "12345678")]
    public void FormatValue_SpecialAndPlainNumbers(double value, string expected) =>
        Assert.Equal(expected, PrometheusTextWriter.FormatValue(value));

    [Fact]
    public void Render_HistogramAndCounter_CumulativeBuckets()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new SiloMetrics(services.GetRequiredService<IMeterFactory>(), new ManualTimeProvider());
        using var collector = new MetricsCollector(metrics);

        metrics.RecordStoreOperation("get", TimeSpan.FromMilliseconds(0.5));
        metrics.RecordStoreOperation("get", TimeSpan.FromMilliseconds(3));
        metrics.RecordStoreOperation("get", TimeSpan.FromSeconds(20));
        metrics.RecordApplied(Runtime.Silo.Store.ApplyOutcome.Created, 2);
        metrics.RecordApplied(Runtime.Silo.Store.ApplyOutcome.Created, 3);
        var text = collector.Render();

        Assert.Contains("silo_store_operation_duration_seconds_bucket{operation=\"get\",le=\"0.0005\"} 1\n", text);
        Assert.Contains("silo_store_operation_duration_seconds_bucket{operation=\"get\",le=\"0.0025\"} 1\n", text);
        Assert.Contains("silo_store_operation_duration_seconds_bucket{operation=\"get\",le=\"0.005\"} 2\n", text);
        Assert.Contains("silo_store_operation_duration_seconds_bucket{operation=\"get\",le=\"10\"} 2\n", text);
        Assert.Contains("silo_store_operation_duration_seconds_bucket{operation=\"get\",le=\"+Inf\"} 3\n", text);
        Assert.Contains("silo_store_operation_duration_seconds_count{operation=\"get\"} 3\n", text);
        Assert.Contains("silo_store_operation_duration_seconds_sum{operation=\"get\"} 20.0035", text);
        Assert.Contains("silo_store_applies_total{outcome=\"created\"} 5\n", text);
    }
}
