using System.Data.Common;

namespace Kindred.Memory.Storage;

/// <summary>
/// Where one database's SQL differs from the other's under the shared statements: how it keeps times (SQLite: ISO
/// text; PostgreSQL: UTC ticks) and lists (SQLite: JSON text, read with json_each; PostgreSQL: arrays), and the few
/// clauses each writes its own way.
/// </summary>
internal abstract class StoreDialect
{
    /// <summary>What a database cannot keep in text taken out of derived text (PostgreSQL: U+0000).</summary>
    public abstract string Clean(string text);

    /// <summary>Refuses what a person wrote when the database cannot keep it (PostgreSQL: U+0000): altered, it would not be theirs.</summary>
    /// <exception cref="ArgumentException">It cannot be kept.</exception>
    public abstract void RejectUnstorable(string text, string paramName);

    /// <summary>The column that orders companions woken in the same tick as they were stored.</summary>
    public abstract string CompanionInsertionOrder { get; }

    /// <summary>The SQL type times are kept as, for a CAST that gives a NULL parameter its type.</summary>
    public abstract string TimeType { get; }

    /// <summary>"is one of the ids bound as @ids", after a column.</summary>
    public abstract string InIds { get; }

    /// <summary>Whether <paramref name="column"/> contains one of the texts bound as @likes (see <see cref="Likes"/>), ignoring case.</summary>
    public abstract string ContainsAnyLike(string column);

    /// <summary>Whether two text expressions are equal, ignoring case.</summary>
    public abstract string SameText(string left, string right);

    /// <summary>The companion's turns (id, text) that may name one of the names bound as @likes.</summary>
    public abstract string TurnsThatMayName { get; }

    /// <summary>LIKE patterns for text containing any of <paramref name="texts"/>, bound as @likes.</summary>
    public object Likes(IEnumerable<string> texts) => Words(texts.Select(LikePattern.Containing));

    public abstract object Time(DateTimeOffset time);

    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    public abstract object Words(IEnumerable<string> words);

    public abstract IReadOnlyList<string> ReadWords(DbDataReader reader, int ordinal);

    public abstract object Ids(IEnumerable<long> ids);

    public object? NullableTime(DateTimeOffset? time) => time is { } value ? Time(value) : null;

    public DateTimeOffset? ReadNullableTime(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    public static long? ReadNullableInt64(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static string? ReadNullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
