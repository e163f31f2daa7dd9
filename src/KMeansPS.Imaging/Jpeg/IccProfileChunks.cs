namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Gathers the APP2 "ICC_PROFILE" chunks of a JPEG (ICC.1, annex B.4): each carries its 1-based sequence number
/// and the chunk count, and the profile is their data joined in sequence order, whatever order the file stores
/// them in. A set that disagrees on the count, repeats or misses a number gives no profile.
/// </summary>
internal sealed class IccProfileChunks
{
    private readonly Dictionary<int, byte[]> _chunks = [];
    private int _count = -1;
    private bool _inconsistent;

    /// <summary>Takes the segment's data after the "ICC_PROFILE\0" identifier.</summary>
    internal void Add(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2) { _inconsistent = true; return; }
        int sequence = data[0], count = data[1];
        if (count == 0 || sequence == 0 || sequence > count || (_count >= 0 && count != _count) || _chunks.ContainsKey(sequence))
        {
            _inconsistent = true;
            return;
        }
        _count = count;
        _chunks[sequence] = data[2..].ToArray();
    }

    /// <summary>The profile, or null when there were no chunks or they do not form a whole.</summary>
    internal byte[]? Assemble()
    {
        if (_inconsistent || _count < 0 || _chunks.Count != _count) return null;
        int length = 0;
        for (int i = 1; i <= _count; i++) length += _chunks[i].Length;
        if (length == 0) return null;
        var profile = new byte[length];
        int at = 0;
        for (int i = 1; i <= _count; i++)
        {
            _chunks[i].CopyTo(profile, at);
            at += _chunks[i].Length;
        }
        return profile;
    }
}
