using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Kindred.Server.Tests.TestSupport;

/// <summary>Reads a reply streamed as Server-Sent Events.</summary>
public static class ServerSentEvents
{
    public static async Task<(string Text, List<string> Events)> SayAsync(this HttpClient client, string companionId, string text)
    {
        using var response = await client.PostAsJsonAsync($"/api/companions/{companionId}/replies", new { text });
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        var events = new List<string>();
        var reply = new StringBuilder();
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..];
            var data = JsonDocument.Parse(lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]).RootElement;
            events.Add(name);
            if (name == "token")
            {
                reply.Append(data.GetProperty("text").GetString());
            }
        }

        return (reply.ToString(), events);
    }
}
