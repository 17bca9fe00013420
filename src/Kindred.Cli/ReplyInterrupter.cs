using Spectre.Console;

namespace Kindred.Cli;

/// <summary>Makes Ctrl+C stop the reply being spoken, not the whole session.</summary>
internal sealed class ReplyInterrupter : IDisposable
{
    private readonly IAnsiConsole _console;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _reply;

    public ReplyInterrupter(IAnsiConsole console)
    {
        _console = console;
        Console.CancelKeyPress += OnCancelKeyPress;
    }

    /// <summary>A token that Ctrl+C cancels, for the reply about to start.</summary>
    public CancellationToken BeginReply(CancellationToken session)
    {
        lock (_gate)
        {
            _reply?.Dispose();
            _reply = CancellationTokenSource.CreateLinkedTokenSource(session);
            return _reply.Token;
        }
    }

    public void EndReply()
    {
        lock (_gate)
        {
            _reply?.Dispose();
            _reply = null;
        }
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        EndReply();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        lock (_gate)
        {
            if (_reply is { IsCancellationRequested: false })
            {
                _reply.Cancel();
                return;
            }
        }

        _console.MarkupLine("[grey](Ctrl+C stops a reply; type /quit to leave)[/]");
    }
}
