using System.Buffers.Binary;

namespace KMeansPS.Imaging.Webp;

/// <summary>
/// The chunks of a RIFF list, in order, without allocating: each a four-byte name, a little-endian 32-bit size and its
/// data, padded to an even length. The walk ends where fewer than 8 bytes (a chunk's header) remain, or after a chunk
/// whose size runs past the bytes it is given (<see cref="RiffChunk.IsCut"/>). The one walk of a WebP's chunks, which the
/// structure check, the metadata collector and the copies ImageSharp is handed share.
/// </summary>
internal ref struct RiffChunks
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _next;
    private RiffChunk _current;

    /// <summary>The chunks of <paramref name="bytes"/> from <paramref name="start"/> to its end.</summary>
    public RiffChunks(ReadOnlySpan<byte> bytes, int start)
    {
        _bytes = bytes;
        _next = start;
    }

    /// <summary>A WebP's chunks (from byte 12) to its RIFF's end, or the file's when that comes first; the file has 12 bytes at least.</summary>
    public static RiffChunks InRiff(ReadOnlySpan<byte> file) => new(file[..(int)Math.Min(DeclaredEnd(file), file.Length)], 12);

    /// <summary>Where a RIFF ends by its size field (the 8 bytes before it included); the file has 8 bytes at least.</summary>
    public static long DeclaredEnd(ReadOnlySpan<byte> file) => BinaryPrimitives.ReadUInt32LittleEndian(file[4..]) + 8L;

    public readonly RiffChunk Current => _current;

    /// <summary>
    /// Where the bytes no chunk took start: after the last whole chunk (and its pad byte, when within the bytes); the end
    /// when the walk stopped at a cut chunk or started past the end.
    /// </summary>
    public readonly int Rest => Math.Min(_next, _bytes.Length);

    public readonly RiffChunks GetEnumerator() => this;

    public bool MoveNext()
    {
        int at = _next;
        if (_bytes.Length - at < 8) return false;
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(_bytes[(at + 4)..]);
        int room = _bytes.Length - at - 8;
        bool cut = size > (uint)room;
        // An odd size's pad byte may be missing at the end, which libwebp accepts except after an extended file's image
        // chunk (WebpScanner refuses that one).
        int end = cut ? _bytes.Length : (int)Math.Min(at + 8L + size + (size & 1), _bytes.Length);
        _current = new RiffChunk(_bytes.Slice(at, 4), at, size, _bytes.Slice(at + 8, cut ? room : (int)size), cut, end);
        _next = end;
        return true;
    }
}

/// <summary>One chunk of <see cref="RiffChunks"/>: offsets are within the bytes walked.</summary>
internal readonly ref struct RiffChunk(ReadOnlySpan<byte> fourCc, int offset, uint size, ReadOnlySpan<byte> payload, bool isCut, int end)
{
    /// <summary>The chunk's name, four bytes.</summary>
    public ReadOnlySpan<byte> FourCc { get; } = fourCc;

    /// <summary>Where the chunk's header starts.</summary>
    public int Offset { get; } = offset;

    /// <summary>The size its header gives, whether or not the bytes hold it.</summary>
    public uint Size { get; } = size;

    /// <summary>Its data: all <see cref="Size"/> bytes, or those there are when it is cut.</summary>
    public ReadOnlySpan<byte> Payload { get; } = payload;

    /// <summary>Its size runs past the bytes walked.</summary>
    public bool IsCut { get; } = isCut;

    /// <summary>Where it ends, its pad byte included as far as the bytes go: where the next chunk starts.</summary>
    public int End { get; } = end;

    /// <summary>Where its data starts.</summary>
    public int PayloadOffset => Offset + 8;

    public bool Is(ReadOnlySpan<byte> fourCc) => FourCc.SequenceEqual(fourCc);

    /// <summary>A VP8 (lossy) or VP8L (lossless) chunk: a still's image data.</summary>
    public bool IsImage => Is("VP8 "u8) || Is("VP8L"u8);

    /// <summary>Its four bytes can name a RIFF chunk: ASCII letters, digits and spaces (else they are no chunk's header).</summary>
    public bool HasChunkName
    {
        get
        {
            foreach (byte b in FourCc)
                if (!(char.IsAsciiLetterOrDigit((char)b) || b == ' ')) return false;
            return true;
        }
    }
}
