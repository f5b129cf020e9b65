using Runtime.Abstractions.Resources;

namespace Runtime.Cli.Commands;

/// <summary>Resolves what the user typed (<c>vs</c>, <c>virtualservices</c>, <c>all</c>) to a kind.</summary>
internal static class KindNames
{
    /// <summary>The canonical kind, or null for <c>all</c>.</summary>
    public static string? Resolve(string text)
    {
        if (string.Equals(text, "all", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (MeshKinds.TryResolve(text, out var kind))
        {
            return kind.Kind;
        }

        var known = string.Join(", ", MeshKinds.All.Select(k => k.ShortNames.Count > 0 ? $"{k.Singular} ({string.Join(", ", k.ShortNames)})" : k.Singular));
        throw new CliException($"the server doesn't have a resource type \"{text}\"; known types: {known}, all");
    }
}
