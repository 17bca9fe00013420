using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Kindred.Server.Tests.TestSupport;

/// <summary>Speaks the live-conversation protocol (docs/websocket-protocol.md) from the client's side.</summary>
public static class LiveClient
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static Task SendAsync(this ClientWebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, JsonSerializerOptions.Web), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message from the server (a generous bound only so a broken server fails the test instead of hanging it).</summary>
    public static async Task<JsonElement> ReceiveAsync(this ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The server closed the conversation.");
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
            }
        }
    }

    /// <summary>Reads token messages until "done" (or an error), returning the text and the final message.</summary>
    public static async Task<(string Text, JsonElement Final)> ReadReplyAsync(this ClientWebSocket socket)
    {
        var text = new StringBuilder();
        while (true)
        {
            var message = await socket.ReceiveAsync();
            var type = message.GetProperty("type").GetString();
            if (type == "token")
            {
                text.Append(message.GetProperty("text").GetString());
            }
            else if (type is "done" or "error")
            {
                return (text.ToString(), message);
            }
        }
    }
}
