using System.Text.Json;
using Runtime.Abstractions.Binding;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Resources;

/// <summary>A configuration kind the mesh understands, with the names kubectl users type for it.</summary>
public sealed record MeshKind
{
    /// <summary>API group, for example <c>networking.istio.io</c>.</summary>
    public required string Group { get; init; }

    /// <summary>Kind as written in manifests, for example <c>VirtualService</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Served versions, oldest first.</summary>
    public required IReadOnlyList<string> Versions { get; init; }

    /// <summary>The version written by default, for example <c>v1</c>.</summary>
    public required string PreferredVersion { get; init; }

    /// <summary>Lower-case plural, for example <c>virtualservices</c>.</summary>
    public required string Plural { get; init; }

    /// <summary>Lower-case singular, for example <c>virtualservice</c>.</summary>
    public string Singular => Kind.ToLowerInvariant();

    /// <summary>kubectl short names, for example <c>vs</c>.</summary>
    public required IReadOnlyList<string> ShortNames { get; init; }

    /// <summary>The record type the spec binds to, for example <c>VirtualServiceSpec</c>.</summary>
    public required Type SpecType { get; init; }

    /// <summary>The preferred <c>apiVersion</c>, for example <c>networking.istio.io/v1</c>.</summary>
    public string PreferredApiVersion => $"{Group}/{PreferredVersion}";

    internal ISpecValidator Validator { get; init; } = null!;

    /// <summary>Whether <paramref name="apiVersion"/> (<c>group/version</c>) is served for this kind.</summary>
    /// <param name="apiVersion">For example <c>networking.istio.io/v1beta1</c>.</param>
    public bool Serves(string apiVersion) => Versions.Any(v => apiVersion == $"{Group}/{v}");

    /// <summary>Binds a spec (as written) into <see cref="SpecType"/>; never throws.</summary>
    /// <param name="spec">The spec object.</param>
    public BoundSpec Bind(JsonElement spec)
    {
        var issues = new IssueSink();
        var value = SpecBinder.Bind(SpecType, spec, "spec", issues);
        return new BoundSpec(value, issues.Issues);
    }
}
