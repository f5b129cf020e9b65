using Microsoft.Extensions.Logging;
using Runtime.Silo.Hosting;

namespace Runtime.Silo.Traffic;

/// <summary>
/// The graph the API serves: from Prometheus when <c>--prometheus-url</c> is set, else from the sidecars' reports.
/// When Prometheus cannot answer, the sidecars' graph is served and says why in <see cref="ServiceGraph.SourceError"/>.
/// </summary>
internal sealed partial class ServiceGraphSource : IDisposable
{
    /// <summary>The <see cref="ServiceGraph.Source"/> of a graph read from Prometheus.</summary>
    public const string PrometheusSource = "prometheus";

    private readonly ServiceGraphBuilder _builder;
    private readonly TimeProvider _time;
    private readonly ILogger<ServiceGraphSource> _logger;
    private readonly PrometheusClient? _client;
    private readonly PrometheusTraffic? _prometheus;

    /// <summary>Serves <paramref name="builder"/>'s graph, or Prometheus' when <paramref name="options"/> name one.</summary>
    public ServiceGraphSource(ServiceGraphBuilder builder, TimeProvider time, ILogger<ServiceGraphSource> logger, SiloOptions? options = null)
    {
        _builder = builder;
        _time = time;
        _logger = logger;
        if (options?.PrometheusUrl is { } url)
        {
            _client = new PrometheusClient(new Uri(url, UriKind.Absolute));
            _prometheus = new PrometheusTraffic(_client);
        }
    }

    /// <summary>The graph of the last <paramref name="windowSeconds"/> seconds.</summary>
    public async Task<ServiceGraph> BuildAsync(int windowSeconds, CancellationToken cancellationToken)
    {
        if (_prometheus is null)
        {
            return _builder.Build(windowSeconds);
        }

        try
        {
            var slice = await _prometheus.ReadAsync(windowSeconds, cancellationToken).ConfigureAwait(false);
            return _builder.Assemble(_time.GetUtcNow(), windowSeconds, PrometheusSource, [slice]);
        }
        catch (PrometheusQueryException ex)
        {
            LogPrometheusFailed(_prometheus.Address, ex.Message);
            return _builder.Build(windowSeconds) with { SourceError = $"prometheus at {_prometheus.Address}: {ex.Message}" };
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service graph: Prometheus at {Address} could not answer ({Reason}); serving the sidecars' data")]
    private partial void LogPrometheusFailed(Uri address, string reason);
}
