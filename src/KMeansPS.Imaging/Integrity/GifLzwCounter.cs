using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// Runs a GIF frame's LZW codes to count the pixels they give, without producing them: the table keeps only each
/// code's string length. It stops where ImageSharp 2.1's decoder stops (an end-of-information code, or a code not
/// yet in the table) and behaves as it does elsewhere too: no table entry after the first code that follows a
/// clear code, a table that stops growing at 4,096 codes, strings of at most 4,096 pixels.
/// </summary>
internal ref struct GifLzwCounter
{
    private const int MaxCodes = 4096;

    private readonly Span<ushort> _lengths;
    private readonly int _minCodeSize, _clear, _end, _colors, _transparent;
    private readonly long _wanted;
    private int _codeSize, _codeMask, _available, _previous;
    private uint _bits;
    private int _bitCount;

    /// <param name="minCodeSize">The frame's LZW minimum code size, 2 to 12.</param>
    /// <param name="lengths">Scratch for 4,096 string lengths.</param>
    /// <param name="wanted">Counting stops once this many pixels are reached.</param>
    /// <param name="colors">The frame's colour table entries: a single-pixel code of this value or more is recorded
    /// (<see cref="FirstPixelBeyond"/>). Every pixel of a string is such a code written out earlier, so the first one
    /// is found where it is first written.</param>
    /// <param name="transparent">The frame's transparent index, or -1: a pixel of it is transparent whatever the
    /// table holds (ImageSharp, browsers and PIL agree), so it is no index beyond the table.</param>
    public GifLzwCounter(int minCodeSize, Span<ushort> lengths, long wanted, int colors = int.MaxValue, int transparent = -1)
    {
        if (lengths.Length < MaxCodes) throw new ArgumentException($"Room for {MaxCodes} lengths is needed.", nameof(lengths));
        _lengths = lengths;
        _minCodeSize = minCodeSize;
        _clear = 1 << minCodeSize;
        _end = _clear + 1;
        _wanted = wanted;
        _colors = colors;
        _transparent = transparent;
        Reset();
        Finished = wanted <= 0;
    }

    /// <summary>Pixels given so far.</summary>
    public long Pixels { get; private set; }

    /// <summary>The first pixel (counted from 0 in the data's order) whose index names no colour table entry, or -1.</summary>
    public long FirstPixelBeyond { get; private set; } = -1;

    /// <summary>The index of <see cref="FirstPixelBeyond"/>.</summary>
    public int IndexBeyond { get; private set; }

    /// <summary>No further codes are read: enough pixels, or the data ended as far as the decoder is concerned.</summary>
    public bool Finished { get; private set; }

    /// <summary>
    /// The first code after a clear code (or of the frame) was not a single pixel: it names a table entry that does
    /// not exist yet. The decoder would read stale table entries there and give arbitrary pixels.
    /// </summary>
    public bool Corrupt { get; private set; }

    /// <summary>Consumes the bytes of one data sub-block.</summary>
    /// <remarks>The state lives in locals for the loop (the decoder's own hot loop does the same), stored back at the end.</remarks>
    public void Feed(ReadOnlySpan<byte> data)
    {
        if (Finished) return;
        // Every index below is under 4,096 (codes have at most 12 bits), the table's length: no bounds checks.
        ref ushort lengths = ref MemoryMarshal.GetReference(_lengths);
        int clear = _clear, end = _end, codeSize = _codeSize, codeMask = _codeMask, available = _available, previous = _previous;
        int bitCount = _bitCount;
        uint bits = _bits;
        long pixels = Pixels, wanted = _wanted;
        bool finished = false;
        foreach (byte b in data)
        {
            bits |= (uint)b << bitCount;
            bitCount += 8;
            while (bitCount >= codeSize)
            {
                int code = (int)(bits & (uint)codeMask);
                bits >>= codeSize;
                bitCount -= codeSize;
                if (code > available || code == end)
                {
                    finished = true;
                    break;
                }
                if (code == clear)
                {
                    codeSize = _minCodeSize + 1;
                    codeMask = (1 << codeSize) - 1;
                    available = clear + 2;
                    previous = -1;
                    continue;
                }
                int length;
                if (previous < 0)
                {
                    if (code > clear)
                    {
                        Corrupt = finished = true;
                        break;
                    }
                    length = 1;
                }
                else
                {
                    // A code equal to the next free one stands for the previous string plus its own first pixel.
                    int previousLength = previous < clear ? 1 : Unsafe.Add(ref lengths, previous);
                    length = code == available ? Math.Min(previousLength + 1, MaxCodes) : code < clear ? 1 : Unsafe.Add(ref lengths, code);
                    if (available < MaxCodes)
                    {
                        Unsafe.Add(ref lengths, available) = (ushort)Math.Min(previousLength + 1, MaxCodes);
                        available++;
                        if (available == codeMask + 1 && available < MaxCodes)
                        {
                            codeSize++;
                            codeMask = (1 << codeSize) - 1;
                        }
                    }
                }
                if (code < clear && code >= _colors && code != _transparent && FirstPixelBeyond < 0)
                {
                    FirstPixelBeyond = pixels;
                    IndexBeyond = code;
                }
                previous = code;
                pixels += length;
                if (pixels >= wanted)
                {
                    finished = true;
                    break;
                }
            }
            if (finished) break;
        }
        (_codeSize, _codeMask, _available, _previous, _bitCount, _bits) = (codeSize, codeMask, available, previous, bitCount, bits);
        Pixels = pixels;
        Finished = finished;
    }

    private void Reset()
    {
        _codeSize = _minCodeSize + 1;
        _codeMask = (1 << _codeSize) - 1;
        _available = _clear + 2;
        _previous = -1;
    }
}
