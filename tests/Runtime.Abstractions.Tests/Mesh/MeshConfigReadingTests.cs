using Runtime.Abstractions.Mesh;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Tests.Mesh;

/// <summary>Mesh config read from an IstioOperator, the istio ConfigMap and MeshConfig itself, and its validation.</summary>
public sealed class MeshConfigReadingTests
{
    // The seed document's IstioOperator, as written there.
    private const string SeedOperator = """
        apiVersion: install.istio.io/v1alpha1
        kind: IstioOperator
        metadata:
          namespace: istio-system
          name: istio-controlplane
        spec:
          profile: production
          meshConfig:
            accessLogFile: /dev/stdout
            enableTracing: true
            outboundTrafficPolicy:
              mode: ALLOW_ANY
          components:
            pilot:
              k8s:
                resources:
                  requests:
                    cpu: 500m
                    memory: 2Gi
                  limits:
                    cpu: 2
                    memory: 4Gi
            ingressGateways:
            - name: istio-ingressgateway
              enabled: true
              k8s:
                resources:
                  requests:
                    cpu: 100m
                    memory: 128Mi
                  limits:
                    cpu: 2
                    memory: 1024Mi
            egressGateways:
            - name: istio-egressgateway
              enabled: true
              k8s:
                resources:
                  requests:
                    cpu: 100m
                    memory: 128Mi
                  limits:
                    cpu: 2
                    memory: 1024Mi
        """;

    [Fact]
    public void Read_SeedIstioOperator_StoredAsTheMeshConfigWithWarningsForWhatIsNotApplied()
    {
        var result = ManifestReader.Read(SeedOperator, "seed.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        var resource = Assert.Single(result.Resources);
        Assert.Equal(("MeshConfig", "istio-system", "istio"), (resource.Kind, resource.Metadata.Namespace, resource.Metadata.Name));
        var spec = Assert.IsType<MeshConfigSpec>(MeshKinds.MeshConfig.Bind(resource.Spec).Value);
        Assert.Equal("/dev/stdout", spec.AccessLogFile);
        Assert.True(spec.EnableTracing);
        var warnings = result.Issues.Where(i => i.Severity == IssueSeverity.Warning).Select(i => i.Path).ToList();
        Assert.Contains("spec.profile", warnings);
        Assert.Contains("spec.components", warnings);
        Assert.Contains("spec.meshConfig.outboundTrafficPolicy", warnings);
        Assert.Equal(3, warnings.Count);
        // Each issue points at its line in the document.
        Assert.Equal(11, Assert.Single(result.Issues, i => i.Path == "spec.meshConfig.outboundTrafficPolicy").Line);
        Assert.Equal("IstioOperator", Assert.Single(result.Issues, i => i.Path == "spec.profile").Kind);
        Assert.Equal("MeshConfig", Assert.Single(result.Issues, i => i.Path == "spec.meshConfig.outboundTrafficPolicy").Kind);
    }

    [Fact]
    public void Read_IstioConfigMap_ReadsTheMeshString()
    {
        var result = ManifestReader.Read("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data:
              mesh: |-
                accessLogFile: /var/log/mesh.log
                accessLogEncoding: JSON
                defaultConfig:
                  holdApplicationUntilProxyStarts: true
                  tracing: {sampling: 10}
                extensionProviders:
                - name: otel
                  opentelemetry: {service: otel.observability.svc.cluster.local, port: 4318, http: {path: /v1/traces}}
                - name: file
                  envoyFileAccessLog: {path: /dev/stdout, logFormat: {labels: {code: "%RESPONSE_CODE%"}}}
                defaultProviders: {tracing: [otel], accessLogging: [file]}
              meshNetworks: "networks: {}"
            """, "cm.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        var telemetry = MeshTelemetry.From(result.Resources);
        Assert.Equal("istio-system/istio", telemetry.Source);
        Assert.Equal(10, telemetry.Sampling);
        Assert.Equal(new OtlpTarget(new Uri("http://otel.observability.svc.cluster.local:4318/v1/traces"), Grpc: false), telemetry.TraceTargetFor(null));
        Assert.Equal(new[] { "data.mesh.defaultConfig.holdApplicationUntilProxyStarts", "data.meshNetworks" }, result.Issues.Select(i => i.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_OtherConfigMap_IsSkippedAsBefore()
    {
        var result = ManifestReader.Read("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: app-settings}
            data: {mesh: "accessLogFile: x"}
            """, "cm.yaml");

        Assert.Empty(result.Resources);
        Assert.Contains("is not mesh configuration; skipped", Assert.Single(result.Issues).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("accessLogFiles: /dev/stdout", "spec.meshConfig.accessLogFiles", "did you mean 'accessLogFile'?")]
    [InlineData("accessLogFormat: \"%START_TIME% %UPSTREAM_TRANSPORT_FAILURE_REASON%\"", "spec.meshConfig.accessLogFormat", "operator '%UPSTREAM_TRANSPORT_FAILURE_REASON%' is not supported")]
    [InlineData("accessLogFormat: \"%REQ(X-CUSTOM)%\"", "spec.meshConfig.accessLogFormat", "operator '%REQ(X-CUSTOM)%' is not supported")]
    [InlineData("accessLogEncoding: XML", "spec.meshConfig.accessLogEncoding", "XML")]
    [InlineData("defaultConfig: {tracing: {sampling: 150}}", "spec.meshConfig.defaultConfig.tracing.sampling", "outside 0..100")]
    [InlineData("extensionProviders: [{name: otel, opentelemetry: {service: collector}}]", "spec.meshConfig.extensionProviders[0].opentelemetry.port", "port is required")]
    [InlineData("defaultProviders: {tracing: [zipkin]}", "spec.meshConfig.defaultProviders.tracing[0]", "'zipkin' is not an extension provider")]
    public void Read_BadMeshConfig_ErrorNamesTheField(string field, string path, string message)
    {
        var result = ManifestReader.Read($$"""
            apiVersion: install.istio.io/v1alpha1
            kind: IstioOperator
            metadata: {name: bad}
            spec:
              meshConfig:
                {{field}}
            """, "bad.yaml");

        var error = Assert.Single(result.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MeshConfigKindUnderAnotherName_StoredAsTheOneMeshConfigWithAWarning()
    {
        var result = ManifestReader.Read("""
            apiVersion: mesh.istio.io/v1alpha1
            kind: MeshConfig
            metadata: {name: mine, namespace: default}
            spec: {enableTracing: false}
            """, "mc.yaml");

        var resource = Assert.Single(result.Resources);
        Assert.Equal(("istio-system", "istio"), (resource.Metadata.Namespace, resource.Metadata.Name));
        Assert.Contains("a mesh has one mesh config", Assert.Single(result.Issues).Message, StringComparison.Ordinal);
        Assert.False(MeshTelemetry.From(result.Resources).TracingEnabled);
    }

    [Fact]
    public void Read_ConfigMapWithBrokenMeshYaml_ErrorOnDataMesh()
    {
        var result = ManifestReader.Read("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data:
              mesh: "accessLogFile: [unclosed"
            """, "cm.yaml");

        Assert.Empty(result.Resources);
        Assert.Equal("data.mesh", Assert.Single(result.Issues, i => i.Severity == IssueSeverity.Error).Path);
    }
}
