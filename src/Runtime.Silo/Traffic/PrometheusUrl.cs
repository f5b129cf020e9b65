namespace Runtime.Silo.Traffic;

/// <summary>Checks <c>--prometheus-url</c>: an absolute http or https URL without query or fragment.</summary>
internal static class PrometheusUrl
{
    /// <summary>Adds to <paramref name="failures"/> what is wrong with <paramref name="url"/> (null: not set, fine).</summary>
    public static void Validate(string? url, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (url is null)
        {
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            failures.Add($"--prometheus-url (MESH_PROMETHEUS_URL): '{url}' is not an http or https URL; use for example http://prometheus:9090");
        }
        else if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            failures.Add($"--prometheus-url (MESH_PROMETHEUS_URL): '{url}' has a query or fragment; give Prometheus' base URL, for example http://prometheus:9090");
        }
    }
}
