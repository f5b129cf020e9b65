using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Runtime.Grpc.Tests.Infrastructure;

/// <summary>Records server logs so a test fails when the server logged an error it did not expect.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    /// <summary>Fails unless every error-level entry has one of <paramref name="expectedEventNames"/>.</summary>
    public void AssertNoUnexpectedErrors(params string[] expectedEventNames)
    {
        var unexpected = _entries
            .Where(e => e.Level >= LogLevel.Error && !expectedEventNames.Contains(e.EventName))
            .Select(e => $"{e.Category} [{e.EventName}] {e.Message} {e.Exception}")
            .ToList();
        Assert.True(unexpected.Count == 0, "The server logged unexpected errors:\n" + string.Join("\n", unexpected));
    }

    internal sealed record LogEntry(string Category, LogLevel Level, string? EventName, string Message, Exception? Exception);

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, eventId.Name, formatter(state, exception), exception));
    }
}
