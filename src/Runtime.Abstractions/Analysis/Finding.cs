using Runtime.Abstractions.Resources;

namespace Runtime.Abstractions.Analysis;

/// <summary>One analysis finding: what is wrong, where, and the one-line fix.</summary>
public sealed record Finding
{
    /// <summary>Stable code such as <c>MSH0101</c>; see <see cref="AnalysisCodes"/>.</summary>
    public required string Code { get; init; }

    /// <summary>Error, Warning or Info; fixed per code.</summary>
    public required FindingLevel Level { get; init; }

    /// <summary>The resource the finding is reported on.</summary>
    public required ResourceKey Resource { get; init; }

    /// <summary>The file the resource was read from (<c>-</c> for standard input); null for resources read from the control plane.</summary>
    public string? Source { get; init; }

    /// <summary>1-based line of <see cref="Path"/> in <see cref="Source"/>, when known.</summary>
    public int? Line { get; init; }

    /// <summary>Field path such as <c>spec.http[0].route[0].destination.host</c>; empty for the whole resource.</summary>
    public string Path { get; init; } = "";

    /// <summary>What is wrong, in one sentence.</summary>
    public required string Message { get; init; }

    /// <summary>How to fix it, in one line.</summary>
    public required string Fix { get; init; }

    /// <summary>
    /// istioctl's layout: <c>Error [MSH0101] (VirtualService default/reviews bad.yaml:12) spec.http[0]...: message (fix: ...)</c>.
    /// </summary>
    public override string ToString()
    {
        var at = Source is null ? "" : Line is int line ? $" {Source}:{line}" : $" {Source}";
        var path = Path.Length == 0 ? "" : $" {Path}:";
        return $"{Level} [{Code}] ({Resource.Kind} {Resource.Namespace}/{Resource.Name}{at}){path} {Message} (fix: {Fix})";
    }
}
