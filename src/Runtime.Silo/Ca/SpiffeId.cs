namespace Runtime.Silo.Ca;

/// <summary>
/// A workload identity as the CA issues it: <c>spiffe://&lt;trust-domain&gt;/ns/&lt;namespace&gt;/sa/&lt;service-account&gt;</c>.
/// Parsing is strict (exact shape, lowercase DNS-style labels) so that two spellings never name one identity.
/// </summary>
/// <param name="TrustDomain">For example <c>cluster.local</c>.</param>
/// <param name="Namespace">For example <c>default</c>.</param>
/// <param name="ServiceAccount">For example <c>reviews</c>.</param>
internal sealed record SpiffeId(string TrustDomain, string Namespace, string ServiceAccount)
{
    private const string Scheme = "spiffe://";

    /// <summary>The URI as it appears in a certificate's SAN.</summary>
    public string Uri => $"{Scheme}{TrustDomain}/ns/{Namespace}/sa/{ServiceAccount}";

    /// <inheritdoc />
    public override string ToString() => Uri;

    /// <summary>Parses a SPIFFE URI of the mesh's shape; null when it is anything else.</summary>
    public static SpiffeId? TryParse(string? uri)
    {
        if (uri is null || !uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = uri[Scheme.Length..].Split('/');
        if (parts.Length != 5 || parts[1] != "ns" || parts[3] != "sa"
            || DescribeNameProblem(parts[0]) is not null || DescribeNameProblem(parts[2]) is not null || DescribeNameProblem(parts[4]) is not null)
        {
            return null;
        }

        return new SpiffeId(parts[0], parts[2], parts[4]);
    }

    /// <summary>
    /// What is wrong with a trust domain, namespace or service-account name, or null when it is valid: 1-253
    /// characters of lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.
    /// </summary>
    public static string? DescribeNameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is empty";
        }

        if (name.Length > 253)
        {
            return $"is {name.Length} characters long; the limit is 253";
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.'))
            {
                return $"contains '{c}'; use lowercase letters, digits, '-' and '.'";
            }
        }

        return char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]) ? null : "must start and end with a letter or digit";
    }
}
