using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Runtime.Silo.Store;

/// <summary>
/// Compacts the change log on a timer, so age-based retention applies even when nothing is written
/// (writes compact by count and age themselves).
/// </summary>
internal sealed partial class ChangeLogCompactionService : BackgroundService
{
    private readonly IConfigStore _store;
    private readonly ConfigStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ChangeLogCompactionService> _logger;

    public ChangeLogCompactionService(IConfigStore store, IOptions<ConfigStoreOptions> options, TimeProvider time, ILogger<ChangeLogCompactionService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.CompactionInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await _store.CompactAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogCompactionFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Change log compaction failed; it will be retried")]
    private partial void LogCompactionFailed(Exception exception);
}
