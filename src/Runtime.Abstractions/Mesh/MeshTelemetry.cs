using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Telemetry;

namespace Runtime.Abstractions.Mesh;

/// <summary>
/// The telemetry defaults of the mesh config in force, as Istio applies them below Telemetry resources: the access
/// log of <c>accessLogFile</c>/<c>accessLogEncoding</c>/<c>accessLogFormat</c>, <c>enableTracing</c> with
/// <c>defaultConfig.tracing.sampling</c>, and the named <c>extensionProviders</c> with <c>defaultProviders</c>.
/// </summary>
public sealed class MeshTelemetry
{
    /// <summary>Istio's built-in access-log provider: the mesh's <c>accessLogFile</c> settings (stdout when unset).</summary>
    public const string EnvoyProvider = "envoy";

    private MeshTelemetry(MeshConfigSpec spec, string? source)
    {
        Spec = spec;
        Source = source;
    }

    /// <summary>No mesh config: access logs only where a Telemetry asks, tracing on.</summary>
    public static MeshTelemetry None { get; } = new(new MeshConfigSpec(), null);

    /// <summary>The mesh config applied.</summary>
    public MeshConfigSpec Spec { get; }

    /// <summary><c>namespace/name</c> of the mesh-config resource, or null when there is none.</summary>
    public string? Source { get; }

    /// <summary>Whether sidecars trace at all (<c>enableTracing</c>, Istio's default true).</summary>
    public bool TracingEnabled => Spec.EnableTracing != false;

    /// <summary><c>defaultConfig.tracing.sampling</c>, when set.</summary>
    public double? Sampling => Spec.DefaultConfig?.Tracing?.Sampling;

    /// <summary>The mesh-wide access log when no Telemetry decides: <c>accessLogFile</c>, else <c>defaultProviders.accessLogging</c>; null for off.</summary>
    public AccessLogOutput? DefaultAccessLog =>
        !string.IsNullOrEmpty(Spec.AccessLogFile) ? BuiltIn()
        : Spec.DefaultProviders?.AccessLogging is { Count: > 0 } names ? names.Select(AccessLogOf).FirstOrDefault(o => o is not null) : null;

    /// <summary>
    /// The mesh config in force among <paramref name="resources"/>: there is one per mesh (stored as
    /// <see cref="Reading.MeshConfigReading.StoredNamespace"/>/<see cref="Reading.MeshConfigReading.StoredName"/>); should several
    /// reach a sidecar, the newest wins.
    /// </summary>
    public static MeshTelemetry From(IEnumerable<MeshResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var newest = resources.Where(r => r.Kind == MeshKinds.MeshConfig.Kind)
            .OrderByDescending(r => r.Metadata.CreationTimestamp).FirstOrDefault();
        return newest is not null && MeshKinds.MeshConfig.Bind(newest.Spec).Value is MeshConfigSpec spec
            ? new MeshTelemetry(spec, $"{newest.Metadata.Namespace}/{newest.Metadata.Name}")
            : None;
    }

    /// <summary>The extension provider named <paramref name="name"/>, or null.</summary>
    public ExtensionProvider? Provider(string? name) => Spec.ExtensionProviders?.FirstOrDefault(p => p.Name == name);

    /// <summary>
    /// The access log of a Telemetry <c>accessLogging</c> entry naming <paramref name="providers"/> (none:
    /// <c>defaultProviders.accessLogging</c>, else <c>envoy</c>); null when no named provider is a file log.
    /// </summary>
    public AccessLogOutput? AccessLogFor(IReadOnlyList<ProviderRef>? providers)
    {
        IEnumerable<string?> names = providers is { Count: > 0 } ? providers.Select(p => p.Name)
            : Spec.DefaultProviders?.AccessLogging is { Count: > 0 } defaults ? defaults : [EnvoyProvider];
        return names.Select(AccessLogOf).FirstOrDefault(o => o is not null);
    }

    /// <summary>
    /// The OTLP collector spans go to for a Telemetry <c>tracing</c> entry naming <paramref name="providers"/> (none:
    /// <c>defaultProviders.tracing</c>); null when none of them is an <c>opentelemetry</c> provider.
    /// </summary>
    public OtlpTarget? TraceTargetFor(IReadOnlyList<ProviderRef>? providers)
    {
        var named = providers is { Count: > 0 } ? providers.Select(p => Provider(p.Name))
            : (Spec.DefaultProviders?.Tracing ?? []).Select(Provider);
        return named.Select(p => p?.Opentelemetry).Where(o => o is { Service.Length: > 0, Port: > 0 })
            .Select(o => OtlpTarget.Of(o!)).FirstOrDefault();
    }

    private AccessLogOutput? AccessLogOf(string? name)
    {
        if (name == EnvoyProvider && Provider(name) is null)
        {
            return BuiltIn();
        }

        if (Provider(name)?.EnvoyFileAccessLog is not { } file)
        {
            return null;
        }

        var labels = file.LogFormat?.Labels is { } pairs ? AccessLogTemplate.ParseLabels(pairs, out _) : null;
        var template = file.LogFormat?.Text is { Length: > 0 } text ? AccessLogTemplate.Parse(text, out _) : null;
        return new AccessLogOutput(string.IsNullOrEmpty(file.Path) ? AccessLogOutput.Stdout : file.Path, labels is null ? null : AccessLogEncoding.Json, template, labels);
    }

    private AccessLogOutput BuiltIn()
    {
        var path = string.IsNullOrEmpty(Spec.AccessLogFile) ? AccessLogOutput.Stdout : Spec.AccessLogFile;
        var encoding = Spec.AccessLogEncoding;
        if (Spec.AccessLogFormat is not { Length: > 0 } format)
        {
            return new AccessLogOutput(path, encoding, null, null);
        }

        // With JSON encoding Istio's accessLogFormat is a JSON object of format strings.
        return encoding == AccessLogEncoding.Json
            ? new AccessLogOutput(path, encoding, null, AccessLogTemplate.ParseLabels(format, out _))
            : new AccessLogOutput(path, encoding, AccessLogTemplate.Parse(format, out _), null);
    }
}
