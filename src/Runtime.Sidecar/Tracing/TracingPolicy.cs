using Runtime.Abstractions.Mesh;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Telemetry;

namespace Runtime.Sidecar.Tracing;

/// <summary>
/// How one side (client or server) of this workload traces, from the Telemetry resources in force with the same
/// precedence as access logging (<see cref="TelemetryLevels"/>): the first level with a <c>tracing</c> entry for the
/// side decides. Nothing set: Istio's default of 1% sampling, spans reported.
/// </summary>
/// <param name="SamplingPercentage">Share of requests without an incoming decision that are sampled, 0 to 100.</param>
/// <param name="ReportSpans">False when <c>disableSpanReporting</c> is set: decisions still propagate, nothing is exported.</param>
/// <param name="LiteralTags"><c>customTags</c> with a literal or environment value (resolved once per config).</param>
/// <param name="HeaderTags"><c>customTags</c> read from a request header.</param>
/// <param name="Target">The mesh config's OTLP collector for this side (issue 6); <c>--tracing-endpoint</c> overrides it.</param>
internal sealed record TracingPolicy(double SamplingPercentage, bool ReportSpans, IReadOnlyList<SpanTag> LiteralTags, IReadOnlyList<HeaderTag> HeaderTags, OtlpTarget? Target = null)
{
    /// <summary>Istio's default <c>randomSamplingPercentage</c>.</summary>
    public const double DefaultSamplingPercentage = 1.0;

    /// <summary>Nothing configured: 1%, reported, no custom tags.</summary>
    public static TracingPolicy Default { get; } = new(DefaultSamplingPercentage, true, [], []);

    /// <summary>Whether a request without an incoming decision is sampled.</summary>
    public bool Sample() => SamplingPercentage >= 100 || (SamplingPercentage > 0 && Random.Shared.NextDouble() * 100 < SamplingPercentage);

    /// <summary>Resolves one side of a workload's policy; <paramref name="environment"/> reads the proxy's environment variables.</summary>
    public static TracingPolicy Resolve(IEnumerable<MeshResource> resources, string @namespace, IReadOnlyDictionary<string, string> labels, bool client, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        // Mesh config (issue 6) is the level below every Telemetry: enableTracing, defaultConfig.tracing.sampling, providers.
        var all = resources as IReadOnlyCollection<MeshResource> ?? [.. resources];
        var mesh = MeshTelemetry.From(all);
        if (TelemetryLevels.Resolve(all, @namespace, labels, spec => spec.Tracing?.FirstOrDefault(entry => TelemetryLevels.AppliesTo(entry.Match, client))) is not { } chosen)
        {
            return mesh.Source is null ? Default
                : new TracingPolicy(Math.Clamp(mesh.Sampling ?? DefaultSamplingPercentage, 0, 100), mesh.TracingEnabled, [], [], mesh.TraceTargetFor(null));
        }

        var entry = chosen.Entry;
        var literals = new List<SpanTag>();
        var headers = new List<HeaderTag>();
        foreach (var (name, tag) in entry.CustomTags ?? new Dictionary<string, CustomTag>())
        {
            if (tag.Literal is { } literal)
            {
                literals.Add(new SpanTag(name, literal.Value ?? ""));
            }
            else if (tag.Environment is { Name: { Length: > 0 } variable } env)
            {
                literals.Add(new SpanTag(name, environment(variable) ?? env.DefaultValue ?? ""));
            }
            else if (tag.Header is { Name: { Length: > 0 } header } headerTag)
            {
                headers.Add(new HeaderTag(name, header, headerTag.DefaultValue));
            }
        }

        return new TracingPolicy(Math.Clamp(entry.RandomSamplingPercentage ?? mesh.Sampling ?? DefaultSamplingPercentage, 0, 100), entry.DisableSpanReporting != true, literals, headers, mesh.TraceTargetFor(entry.Providers));
    }
}
