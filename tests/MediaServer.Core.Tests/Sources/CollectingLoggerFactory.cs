using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MediaServer.Core.Tests.Sources;

/// <summary>Loggers that keep every line with its level, for tests that count what was logged.</summary>
internal sealed class CollectingLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();

    public int Count(LogLevel level, string contains) =>
        Lines.Count(l => l.Level == level && l.Message.Contains(contains, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CollectingLoggerFactory factory) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            factory.Lines.Enqueue((logLevel, formatter(state, exception)));
    }
}
