using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Kindred.Server.Companions;
using Kindred.Server.Telemetry;
using Kindred.Server.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Kindred.Server.Tests;

/// <summary>Traces and metrics for operators: ids, counts and outcomes, never what was said.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task A_turn_is_one_span_with_its_companion_tokens_and_outcome_and_none_of_the_words()
    {
        var stopped = new ConcurrentDictionary<string, Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ServerTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => stopped[(string?)activity.GetTagItem("kindred.companion.id") ?? ""] = activity,
        };
        ActivitySource.AddActivityListener(listener);
        var server = await TestServer.StartAsync();
        CompanionCreated companion;
        try
        {
            using var client = await server.SignedInClientAsync();
            companion = await TestServer.CreateCompanionAsync(client);
            var response = await client.PostAsJsonAsync($"/api/companions/{companion.CompanionId}/replies", new { text = "My secret word is pumpernickel." });
            Assert.Contains("event: done", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync(); // Every turn has ended, and its span stopped, once the silo has stopped.
        }

        var span = Assert.Contains(companion.CompanionId, (IReadOnlyDictionary<string, Activity>)stopped);
        Assert.Equal("companion turn", span.DisplayName);
        Assert.Equal("complete", span.GetTagItem("kindred.turn.outcome"));
        Assert.True((int)span.GetTagItem("kindred.turn.tokens")! > 0);
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains("pumpernickel", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(span.Events, e => e.Name.Contains("pumpernickel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_an_otlp_endpoint_traces_and_metrics_are_exported_and_without_one_nothing_is()
    {
        await using (var exporting = await TestServer.StartAsync(configure: o => o.OtlpEndpoint = "http://127.0.0.1:4317", chat: new EndlessChatClient()))
        {
            Assert.NotNull(exporting.Services.GetService<TracerProvider>());
            Assert.NotNull(exporting.Services.GetService<MeterProvider>());
        }

        await using var quiet = await TestServer.StartAsync(chat: new EndlessChatClient());
        Assert.Null(quiet.Services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData("collector:4317")]
    [InlineData("ftp://collector/")]
    [InlineData("not a uri")]
    public void An_otlp_endpoint_that_is_not_an_http_address_is_refused_with_its_name(string endpoint)
    {
        var options = new ServerOptions { OtlpEndpoint = endpoint };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("OtlpEndpoint", error.Message, StringComparison.Ordinal);
    }
}
