using System.Globalization;
using System.Text.Json;

namespace Runtime.Silo.Traffic;

/// <summary>Instant PromQL queries against one Prometheus' HTTP API (<c>GET /api/v1/query</c>).</summary>
internal sealed class PrometheusClient : IDisposable
{
    /// <summary>How long one query may take before the graph falls back to the sidecars' data.</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;

    /// <summary>Queries the Prometheus at <paramref name="address"/> (e.g. <c>http://prometheus:9090</c>, a path prefix kept).</summary>
    public PrometheusClient(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = address;
        var prefix = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
        _http = new HttpClient { BaseAddress = prefix, Timeout = QueryTimeout };
    }

    /// <summary>The Prometheus queried, as configured.</summary>
    public Uri Address { get; }

    /// <summary>Evaluates <paramref name="promql"/> now; the instant vector it answers.</summary>
    /// <exception cref="PrometheusQueryException">Prometheus is unreachable, answered an error, or answered something else than a vector.</exception>
    public async Task<IReadOnlyList<PromSample>> QueryAsync(string promql, CancellationToken cancellationToken)
    {
        JsonDocument body;
        int status;
        try
        {
            using var response = await _http.GetAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(promql), UriKind.Relative), cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                body = JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                throw new PrometheusQueryException($"HTTP {status} with a body that is not Prometheus' JSON: {Excerpt(text)}");
            }
        }
        catch (HttpRequestException ex)
        {
            throw new PrometheusQueryException(ex.Message, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PrometheusQueryException($"no answer within {QueryTimeout.TotalSeconds:0} s", ex);
        }

        using (body)
        {
            return Read(body.RootElement, status);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static List<PromSample> Read(JsonElement root, int status)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var outcome))
        {
            throw new PrometheusQueryException($"HTTP {status} without a Prometheus API status");
        }

        if (outcome.GetString() != "success")
        {
            var type = root.TryGetProperty("errorType", out var t) ? t.GetString() : null;
            var error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
            throw new PrometheusQueryException($"HTTP {status}, {type ?? "error"}: {error ?? "no message"}");
        }

        if (!root.TryGetProperty("data", out var data) || !data.TryGetProperty("resultType", out var kind) || kind.GetString() != "vector"
            || !data.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Array)
        {
            throw new PrometheusQueryException("the answer is not an instant vector");
        }

        var samples = new List<PromSample>(result.GetArrayLength());
        foreach (var element in result.EnumerateArray())
        {
            if (!element.TryGetProperty("metric", out var metric) || metric.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("value", out var pair) || pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                || pair[1].ValueKind != JsonValueKind.String
                || !double.TryParse(pair[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new PrometheusQueryException("a sample of the answer is not {metric, [time, \"value\"]}");
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var label in metric.EnumerateObject())
            {
                labels[label.Name] = label.Value.GetString() ?? "";
            }

            samples.Add(new PromSample(labels, value));
        }

        return samples;
    }

    private static string Excerpt(string text) => text.Length > 200 ? text[..200] + "..." : text;
}
