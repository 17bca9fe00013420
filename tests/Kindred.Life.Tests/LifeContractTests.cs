using System.Globalization;
using System.Net.Http.Json;
using Kindred.Cli;
using Kindred.Core;
using Kindred.Core.Inner;
using Kindred.Hosting;
using Kindred.Life.Tests.TestSupport;
using Kindred.Memory;
using Kindred.Memory.Knowledge;
using Kindred.Memory.Recall;
using Kindred.Models.Embeddings;
using Kindred.Server.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console;

namespace Kindred.Life.Tests;

/// <summary>
/// The life contract: one scripted conversation through the CLI host (the chat session <c>kindred chat</c> runs, in
/// process) and through the server host (the REST/SSE reply route), over one store; both must leave the same effects
/// in the store: turns, the person's name, facts, people, appraisals, persona versions, reminders and reflections.
/// </summary>
/// <remarks>
/// Both hosts get the same wiring where a host would otherwise choose: the built-in extractor (the CLI picks a model
/// extractor only beside a remote model, which a scripted one is not), the built-in appraiser (AppraiseWithModel is
/// off by default on both), UTC, the same reply length and the same fixed clock.
/// </remarks>
public abstract class LifeContractTests
{
    /// <summary>A Monday morning: "tomorrow at nine" is Tuesday 09:00 UTC.</summary>
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    // What the person says, in order, and what the model answers each line with.
    private static readonly (string Said, string Reply)[] Conversation =
    [
        ("My name is Sam.", "Nice to meet you, Sam."),
        ("My sister Amy is visiting next week.", "How lovely that Amy is coming."),
        ("Remind me to call Amy tomorrow at nine.", "I will remind you."),
        ("Thank you, that was really helpful! Don't be so formal with me.", "You're welcome."),
    ];

    // The person comes back for a second sitting, which closes the first on the server too (see the summaries below).
    private const string SecondSitting = "Good morning.";

    /// <summary>A fresh, empty store for one host's run.</summary>
    protected abstract Task<IFullCompanionStore> OpenStoreAsync(string host);

    [Fact]
    public async Task Both_hosts_leave_the_same_effects()
    {
        var cli = await RunCliAsync();
        var server = await RunServerAsync();

        // Absolute: the conversation left something of every kind, so two empty results cannot pass.
        Assert.Equal(
            [
                "Companion: Hello. I'm Nova. I've only just woken up, and I chose that name for myself a moment ago. What's your name?",
                .. Conversation.SelectMany(c => new[] { "Person: " + c.Said, "Companion: " + c.Reply }),
                "Person: " + SecondSitting, "Companion: " + ScriptedLifeChat.Fallback,
            ],
            cli.Turns);
        Assert.Equal("Sam", cli.PersonName);
        Assert.Equal(ScriptedLifeChat.Name, cli.CompanionName);
        Assert.Contains("Amy|relation|sister|Amy is their sister.|current", cli.Facts);
        Assert.Equal(["Amy|sister|"], cli.People);
        Assert.Equal(Conversation.Length + 1, cli.Appraisals.Count);
        Assert.Contains("grateful", cli.Appraisals[Conversation.Length - 1], StringComparison.Ordinal);
        Assert.Equal(["1|Initial|Where I started.", "2|Feedback|They asked me to be less formal."], cli.PersonaVersions);
        Assert.Equal(["Reminder|You asked me to remind you: call Amy.|2026-03-03T09:00:00Z"], cli.Reminders);

        // No reflection is due: every turn is at the same fixed instant (no new day) and the conversation is not
        // important enough. Both hosts must agree on that; a reflection made by one host alone would show below.
        Assert.Empty(cli.Reflections);
        Assert.Empty(cli.InnerReflections);

        // The same on both hosts, effect by effect (one assertion each, so a difference names itself).
        Assert.Equal(cli.Turns, server.Turns);
        Assert.Equal(cli.CompanionName, server.CompanionName);
        Assert.Equal(cli.PersonName, server.PersonName);
        Assert.Equal(cli.Facts, server.Facts);
        Assert.Equal(cli.People, server.People);
        Assert.Equal(cli.Appraisals, server.Appraisals);
        Assert.Equal(cli.PersonaVersions, server.PersonaVersions);
        Assert.Equal(cli.Reminders, server.Reminders);
        Assert.Equal(cli.Reflections, server.Reflections);
        Assert.Equal(cli.InnerReflections, server.InnerReflections);

        // Summaries: the CLI summarises every session when the person leaves; the server summarises a session only once
        // it is no longer the open one, and nothing closes a REST session but a turn in another. So the first sitting,
        // closed on both hosts by the second, is compared; the second is summarised by the CLI alone (by design: it
        // left), and stays open on the server.
        Assert.Equal(2, cli.Summaries.Count);
        Assert.Contains("My name is Sam.", cli.Summaries[0], StringComparison.Ordinal);
        Assert.Equal(cli.Summaries[0], Assert.Single(server.Summaries));
    }

    private static FakeTimeProvider Clock() => new(Start);

    private static InnerLifeOptions Inner() => new() { TimeZoneId = "UTC" };

    private async Task<LifeEffects> RunCliAsync()
    {
        const string companionId = "contract";
        await using var store = await OpenStoreAsync("cli");
        using var embedder = new MiniLmEmbeddingGenerator(threadsPerCall: 1);
        using var memory = new MemoryIndex(store, embedder);
        using var chat = new ScriptedLifeChat(Replies());
        var parts = new LifeParts(store, memory, chat, new WordCounter(), new CompanionOptions { MaxReplyTokens = 24 }, Inner(), new BuiltInExtractor(), Clock());
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        foreach (var sitting in new[] { Conversation.Select(c => c.Said), [SecondSitting] })
        {
            using var input = new StringReader(string.Join('\n', sitting.Append("/quit")) + "\n");
            await ChatSession.RunAsync(console, parts, companionId, input, "scripted", startPrivate: false, guard.Token);
        }

        return await LifeEffects.ReadAsync(store, companionId);
    }

    private async Task<LifeEffects> RunServerAsync()
    {
        var store = await OpenStoreAsync("server");
        using var chat = new ScriptedLifeChat(Replies());
        await using var server = await TestServer.StartAsync(chat: chat, clock: Clock(), timeZone: "UTC", store: store, extractor: new BuiltInExtractor());
        using var client = await server.SignedInClientAsync();
        var companionId = (await TestServer.CreateCompanionAsync(client)).CompanionId;
        using var passes = new LearningPasses(server);
        foreach (var (said, reply) in Conversation)
        {
            Assert.Equal(reply, (await client.SayAsync(companionId, said)).Text);
        }

        using (var second = await client.PostAsJsonAsync($"/api/companions/{companionId}/replies", new { text = SecondSitting, sessionId = "second" }))
        {
            second.EnsureSuccessStatusCode();
            Assert.Contains("event: token", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The pass that reads the second sitting's turn summarises the first; the mark moves before the summary is
        // written, so a pass still running when every turn is read is waited for too.
        await passes.UntilAllReadAsync(companionId);
        while ((await server.Store.GetSummariesAsync(companionId, CancellationToken.None)).Count == 0)
        {
            await passes.NextAsync(companionId);
        }

        return await LifeEffects.ReadAsync(server.Store, companionId);
    }

    private static Dictionary<string, string> Replies() => Conversation.ToDictionary(c => c.Said, c => c.Reply, StringComparer.Ordinal);
}

/// <summary>What a run left in the store, without ids, session ids or store timestamps: what must match across hosts.</summary>
internal sealed record LifeEffects(
    IReadOnlyList<string> Turns,
    string CompanionName,
    string? PersonName,
    IReadOnlyList<string> Facts,
    IReadOnlyList<string> People,
    IReadOnlyList<string> Appraisals,
    IReadOnlyList<string> PersonaVersions,
    IReadOnlyList<string> Reminders,
    IReadOnlyList<string> Reflections,
    IReadOnlyList<string> InnerReflections,
    IReadOnlyList<string> Summaries)
{
    public static async Task<LifeEffects> ReadAsync(IFullCompanionStore store, string companionId)
    {
        var none = CancellationToken.None;
        var turns = await store.GetRecentTurnsAsync(companionId, 100, none);
        var companion = await store.FindCompanionAsync(companionId, none) ?? throw new InvalidOperationException("The companion never woke.");
        var relationship = await store.GetRelationshipAsync(companionId, none);
        var facts = await store.GetFactsAsync(companionId, includeSuperseded: true, none);
        var people = await store.GetPeopleAsync(companionId, none);
        var appraisals = await store.GetAppraisalsAsync(companionId, DateTimeOffset.MinValue, none);
        var persona = await store.GetPersonaHistoryAsync(companionId, none);
        var reminders = await store.GetPendingOutreachAsync(companionId, none);
        var reflections = await store.GetReflectionsAsync(companionId, none);
        var inner = await store.GetInnerReflectionsAsync(companionId, none);
        var summaries = await store.GetSummariesAsync(companionId, none);
        return new LifeEffects(
            [.. turns.OrderBy(t => t.Id).Select(t => $"{t.Speaker}: {t.Text}")],
            companion.Name,
            relationship.PersonName,
            [.. facts.Select(f => $"{f.Subject}|{f.Attribute}|{f.Value}|{f.Text}|{(f.IsCurrent ? "current" : "superseded")}").Order(StringComparer.Ordinal)],
            [.. people.Select(p => $"{p.Name}|{p.Relation}|{string.Join(',', p.Aliases)}").Order(StringComparer.Ordinal)],
            [.. appraisals.OrderBy(a => a.TurnId).Select(a => Describe(a.Appraisal))],
            [.. persona.OrderBy(v => v.Version).Select(v => $"{v.Version}|{v.Kind}|{v.Reason}")],
            [.. reminders.Select(r => $"{r.Kind}|{r.Text}|{r.DueAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal)],
            [.. reflections.Select(r => r.Text).Order(StringComparer.Ordinal)],
            [.. inner.Select(r => r.Reflection.ToString()).Order(StringComparer.Ordinal)],
            [.. summaries.OrderBy(s => s.FirstTurnId).Select(s => s.Text)]);
    }

    private static string Describe(Appraisal a) => string.Create(
        CultureInfo.InvariantCulture,
        $"{a.Valence:0.###}|{a.Arousal:0.###}|{string.Join(',', a.Emotions)}|{a.Need}|{a.Source}");
}
