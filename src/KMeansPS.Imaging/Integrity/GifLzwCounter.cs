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
    private readonly int _minCodeSize, _clear, _end;
    private readonly long _wanted;
    private int _codeSize, _codeMask, _available, _previous;
    private uint _bits;
    private int _bitCount;

    /// <param name="minCodeSize">The frame's LZW minimum code size, 2 to 12.</param>
    /// <param name="lengths">Scratch for 4,096 string lengths.</param>
    /// <param name="wanted">Counting stops once this many pixels are reached.</param>
    public GifLzwCounter(int minCodeSize, Span<ushort> lengths, long wanted)
    {
        _lengths = lengths;
        _minCodeSize = minCodeSize;
        _clear = 1 << minCodeSize;
        _end = _clear + 1;
        _wanted = wanted;
        Reset();
        Finished = wanted <= 0;
    }

    /// <summary>Pixels given so far.</summary>
    public long Pixels { get; private set; }

    /// <summary>No further codes are read: enough pixels, or the data ended as far as the decoder is concerned.</summary>
    public bool Finished { get; private set; }

    /// <summary>Consumes the bytes of one data sub-block.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            if (Finished) return;
            _bits |= (uint)b << _bitCount;
            _bitCount += 8;
            while (_bitCount >= _codeSize && !Finished)
            {
                int code = (int)(_bits & (uint)_codeMask);
                _bits >>= _codeSize;
                _bitCount -= _codeSize;
                Step(code);
            }
        }
    }

    private void Reset()
    {
        _codeSize = _minCodeSize + 1;
        _codeMask = (1 << _codeSize) - 1;
        _available = _clear + 2;
        _previous = -1;
    }

    private readonly int Length(int code) => code < _clear ? 1 : _lengths[code];

    private void Step(int code)
    {
        if (code > _available || code == _end)
        {
            Finished = true;
            return;
        }
        if (code == _clear)
        {
            Reset();
            return;
        }
        if (_previous < 0)
        {
            _previous = code;
            Emit(1);
            return;
        }
        // A code equal to the next free one stands for the previous string plus its own first pixel.
        int length = code == _available ? Length(_previous) + 1 : Length(code);
        if (_available < MaxCodes)
        {
            _lengths[_available] = (ushort)Math.Min(Length(_previous) + 1, MaxCodes);
            _available++;
            if (_available == _codeMask + 1 && _available < MaxCodes)
            {
                _codeSize++;
                _codeMask = (1 << _codeSize) - 1;
            }
        }
        _previous = code;
        Emit(Math.Min(length, MaxCodes));
    }

    private void Emit(int pixels)
    {
        Pixels += pixels;
        if (Pixels >= _wanted) Finished = true;
    }
}
