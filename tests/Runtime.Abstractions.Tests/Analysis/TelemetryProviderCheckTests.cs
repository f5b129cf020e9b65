using Runtime.Abstractions.Analysis;
using static Runtime.Abstractions.Tests.Analysis.Analyze;

namespace Runtime.Abstractions.Tests.Analysis;

public class TelemetryProviderCheckTests
{
    private const string MeshConfig = """
        apiVersion: install.istio.io/v1alpha1
        kind: IstioOperator
        metadata: {name: mesh, namespace: istio-system}
        spec:
          meshConfig:
            extensionProviders:
            - name: otel
              opentelemetry: {service: otel.svc, port: 4317}
        ---
        """;

    private const string Telemetry = """
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: tracing, namespace: default}
        spec:
          tracing: [{providers: [{name: PROVIDER}]}]
          accessLogging: [{providers: [{name: envoy}]}]
          metrics: [{providers: [{name: prometheus}]}]
        """;

    [Fact]
    public void Analyze_MisspelledProvider_WarningWithDidYouMean()
    {
        var report = Offline(MeshConfig + "\n" + Telemetry.Replace("PROVIDER", "otle"));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(AnalysisCodes.TelemetryProviderNotFound, finding.Code);
        Assert.Equal(FindingLevel.Warning, finding.Level);
        Assert.Equal("spec.tracing[0].providers[0].name", finding.Path);
        Assert.Contains("provider 'otle' is not defined in mesh config extensionProviders; did you mean 'otel'?", finding.Message);
        Assert.Equal("name: otel", finding.Fix);
    }

    [Fact]
    public void Analyze_DefinedAndBuiltInProviders_NoFinding() =>
        Assert.Empty(Offline(MeshConfig + "\n" + Telemetry.Replace("PROVIDER", "otel")).Findings);

    [Fact]
    public void Analyze_OfflineWithoutMeshConfig_NotChecked() =>
        Assert.Empty(Offline(Telemetry.Replace("PROVIDER", "anything")).Findings);

    [Fact]
    public void Analyze_OnlineWithoutMeshConfig_UnknownProviderReported() =>
        Assert.Equal([AnalysisCodes.TelemetryProviderNotFound], Codes(Online(Telemetry.Replace("PROVIDER", "zipkin"))));
}
