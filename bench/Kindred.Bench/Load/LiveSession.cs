using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Kindred.Bench.Load;

/// <summary>What one acknowledged turn said (the server sent <c>done</c> for it).</summary>
internal sealed record AckedTurn(string PersonText, string Reply, string Status);

/// <summary>A turn's timings, from sending <c>say</c>.</summary>
internal sealed record TurnTiming(double FirstTokenMs, double TotalMs);

/// <summary>
/// One simulated person's live WebSocket conversation (docs/websocket-protocol.md). A <c>busy</c> answer is handled
/// as a real client would: wait <c>retryAfter</c> seconds and say it again.
/// </summary>
internal sealed class LiveSession(Person person) : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private byte[] _buffer = new byte[4096];

    public Person Person { get; } = person;

    public int BusyRetries { get; private set; }

    public async Task ConnectAsync(Uri server, CancellationToken cancellationToken)
    {
        _socket.Options.SetRequestHeader("Authorization", "Bearer " + Person.ApiKey);
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var uri = new UriBuilder(server) { Scheme = "ws", Path = $"api/companions/{Person.CompanionId}/live" }.Uri;
        await _socket.ConnectAsync(uri, cancellationToken);
        var ready = await ReceiveAsync(cancellationToken);
        if (ready.GetProperty("type").GetString() != "ready")
        {
            throw new InvalidOperationException($"Expected ready, got {ready}");
        }
    }

    /// <summary>Says <paramref name="text"/> and reads the reply to its end.</summary>
    public async Task<(AckedTurn Turn, TurnTiming Timing)> SayAsync(string text, CancellationToken cancellationToken)
    {
        while (true)
        {
            var clock = Stopwatch.StartNew();
            await SendAsync(JsonSerializer.Serialize(new { type = "say", text }), cancellationToken);
            var reply = new StringBuilder();
            double firstToken = -1;
            while (true)
            {
                var message = await ReceiveAsync(cancellationToken);
                switch (message.GetProperty("type").GetString())
                {
                    case "token":
                        if (firstToken < 0)
                        {
                            firstToken = clock.Elapsed.TotalMilliseconds;
                        }

                        reply.Append(message.GetProperty("text").GetString());
                        continue;
                    case "done":
                        var total = clock.Elapsed.TotalMilliseconds;
                        return (new AckedTurn(text, reply.ToString(), message.GetProperty("status").GetString()!), new TurnTiming(firstToken < 0 ? total : firstToken, total));
                    case "error" when message.GetProperty("code").GetString() == "busy":
                        BusyRetries++;
                        await Task.Delay(TimeSpan.FromSeconds(message.GetProperty("retryAfter").GetInt32()), cancellationToken);
                        break;
                    default:
                        throw new InvalidOperationException($"Unexpected message: {message}");
                }

                break;
            }
        }
    }

    /// <summary>Asks the status: proves the session is still held and answered.</summary>
    public async Task<string> StatusAsync(CancellationToken cancellationToken)
    {
        await SendAsync("""{"type":"status"}""", cancellationToken);
        var message = await ReceiveAsync(cancellationToken);
        return message.GetProperty("type").GetString() == "status" ? message.GetProperty("state").GetString()! : throw new InvalidOperationException($"Expected status, got {message}");
    }

    private Task SendAsync(string json, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private async Task<JsonElement> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("The server closed the conversation.");
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return JsonSerializer.Deserialize<JsonElement>(_buffer.AsSpan(0, length));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Already gone.
            }
        }

        _socket.Dispose();
    }
}
