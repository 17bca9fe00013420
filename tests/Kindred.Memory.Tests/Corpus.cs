using Kindred.Core;
using Microsoft.Data.Sqlite;

namespace Kindred.Memory.Tests;

/// <summary>Plausible everyday turns, many at once, for searches that must find one turn among thousands.</summary>
internal static class Corpus
{
    private static readonly string[] Subjects = ["I", "My brother", "Mum", "The neighbour", "My sister", "We", "Our team", "My friend Sam"];
    private static readonly string[] Verbs = ["talked about", "worried about", "laughed at", "planned", "forgot", "cooked", "cleaned", "watched"];
    private static readonly string[] Objects =
    [
        "the wedding photos", "dinner", "the garden", "a long walk", "the budget", "an old film", "the kitchen",
        "work again", "the weekend", "a birthday card", "the car", "the dog", "coffee", "the rain",
    ];

    private static readonly string[] Endings = ["today.", "last night.", "again, sadly.", "for hours.", "with everyone.", "before lunch."];

    /// <summary>The text of distractor number <paramref name="i"/>; the same for the same i.</summary>
    public static string Distractor(int i) =>
        $"{Subjects[i % Subjects.Length]} {Verbs[i / 3 % Verbs.Length]} {Objects[i / 7 % Objects.Length]} {Endings[i / 11 % Endings.Length]}";

    /// <summary>Appends <paramref name="count"/> distractor turns in one transaction, through the store's own connection.</summary>
    public static Task AppendDistractorsAsync(SqliteCompanionStore store, string companionId, int count) =>
        store.WriteAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                "INSERT INTO turns (companion_id, session_id, speaker, text, at, status) " +
                "VALUES ($companionId, 's1', $speaker, $text, $at, 0);";
            var speaker = command.Parameters.Add("$speaker", SqliteType.Integer);
            var text = command.Parameters.Add("$text", SqliteType.Text);
            var at = command.Parameters.Add("$at", SqliteType.Text);
            command.Parameters.AddWithValue("$companionId", companionId);
            for (var i = 0; i < count; i++)
            {
                speaker.Value = (int)(i % 2 == 0 ? Speaker.Person : Speaker.Companion);
                text.Value = Distractor(i);
                at.Value = StoredTime.Format(Samples.WokeAt.AddMinutes(i));
                await command.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
            return count;
        }, CancellationToken.None);
}
