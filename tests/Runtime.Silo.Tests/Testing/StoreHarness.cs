using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Runtime.Silo.Metrics;
using Runtime.Silo.Store;
using System.Diagnostics.Metrics;

namespace Runtime.Silo.Tests.Testing;

/// <summary>A SQLite store in a temp directory with a manual clock.</summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private StoreHarness(ConfigStoreOptions options) => Options = options;

    public ConfigStoreOptions Options { get; }

    public ManualTimeProvider Time { get; } = new();

    public SqliteConfigStore Store { get; private set; } = null!;

    public SiloMetrics Metrics { get; private set; } = null!;

    public static async Task<StoreHarness> OpenAsync(Action<ConfigStoreOptions>? configure = null)
    {
        var options = new ConfigStoreOptions();
        configure?.Invoke(options);
        var harness = new StoreHarness(options);
        options.DatabasePath = Path.Combine(harness._directory.Path, "mesh.db");
        await harness.ReopenAsync();
        return harness;
    }

    /// <summary>Closes the store (if open) and opens a new instance on the same file.</summary>
    public async Task ReopenAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        Metrics = new SiloMetrics(_services.GetRequiredService<IMeterFactory>(), Time);
        Store = new SqliteConfigStore(Microsoft.Extensions.Options.Options.Create(Options), Metrics, Time, NullLogger<SqliteConfigStore>.Instance);
        await Store.OpenAsync(CancellationToken.None).Within("store open");
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await _services.DisposeAsync();
        _directory.Dispose();
    }
}
