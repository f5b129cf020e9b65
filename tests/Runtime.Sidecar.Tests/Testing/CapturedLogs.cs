using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Runtime.Sidecar.Tests.Testing;

/// <summary>Records a server's logs so a test can fail when it logged an error it did not expect.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    /// <summary>Fails if any entry at Error or above was logged.</summary>
    public void AssertNoErrors()
    {
        var errors = _entries
            .Where(e => e.Level >= LogLevel.Error)
            .Select(e => $"{e.Category} [{e.EventName}] {e.Message} {e.Exception}")
            .ToList();
        Assert.True(errors.Count == 0, "The server logged errors:\n" + string.Join("\n", errors));
    }

    internal sealed record LogEntry(string Category, LogLevel Level, string? EventName, string Message, Exception? Exception);

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, eventId.Name, formatter(state, exception), exception));
    }
}
