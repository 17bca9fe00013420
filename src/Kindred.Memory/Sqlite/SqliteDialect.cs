using System.Data.Common;
using Kindred.Memory.Storage;

namespace Kindred.Memory;

/// <summary>SQLite's side of the shared statements: times as ISO text, lists as JSON text read with json_each.</summary>
internal sealed class SqliteDialect : StoreDialect
{
    public static SqliteDialect Instance { get; } = new();

    /// <inheritdoc />
    public override string Clean(string text) => text;

    /// <inheritdoc />
    public override void RejectUnstorable(string text, string paramName)
    {
        // SQLite keeps any text, U+0000 included.
    }

    /// <inheritdoc />
    public override string CompanionInsertionOrder => "rowid";

    /// <inheritdoc />
    public override string TimeType => "TEXT";

    /// <inheritdoc />
    public override string InIds => "IN (SELECT value FROM json_each(@ids))";

    /// <inheritdoc />
    /// <remarks>LIKE ignores the case of ASCII letters only.</remarks>
    public override string ContainsAnyLike(string column) => $"EXISTS (SELECT 1 FROM json_each(@likes) WHERE {column} LIKE value ESCAPE '\\')";

    /// <inheritdoc />
    public override string SameText(string left, string right) => $"{left} = {right} COLLATE NOCASE";

    /// <inheritdoc />
    /// <remarks>
    /// Every turn of the companion: LIKE ignores the case of ASCII letters only, and a name such as "Zoë" must be found
    /// however it was written. Forgetting someone is rare; reading the history once is affordable.
    /// </remarks>
    public override string TurnsThatMayName => "SELECT id, text FROM turns WHERE companion_id = @c;";

    /// <inheritdoc />
    public override object Time(DateTimeOffset time) => StoredTime.Format(time);

    /// <inheritdoc />
    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => StoredTime.Parse(reader.GetString(ordinal));

    /// <inheritdoc />
    public override object Words(IEnumerable<string> words) => TraitsJson.Serialize([.. words]);

    /// <inheritdoc />
    public override IReadOnlyList<string> ReadWords(DbDataReader reader, int ordinal) => TraitsJson.Deserialize(reader.GetString(ordinal));

    /// <inheritdoc />
    public override object Ids(IEnumerable<long> ids) => $"[{SqliteDatabase.IdList(ids)}]";
}
