using static KMeansPS.Imaging.Integrity.Vp8Probabilities;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// Walks a VP8 (lossy WebP) key frame as a decoder parses it, its modes and coefficient tokens without making the
/// picture, to see that each partition holds every macroblock the header claims. ImageSharp 2.1 reads zeros past
/// a partition's end, so a lossy WebP cut inside its data with its chunk sizes set to match came out as a picture
/// whose lower part was guessed; libwebp refuses it ("Premature end-of-file encountered"), and so does this walk,
/// by the same rule (<see cref="Vp8BoolDecoder.PastEnd"/>). The syntax is RFC 6386's as libwebp reads it: the
/// frame header (segments, loop filter, partitions, quantizers, probability updates) in the first partition with
/// each macroblock's modes, the tokens in the partition of the macroblock's row.
/// </summary>
internal sealed class Vp8DataCheck
{
    private const int ModeDc = 0, ModeTm = 1, ModeVertical = 2, ModeHorizontal = 3;

    // The sub-block mode tree (RFC 6386, section 11.2), in libwebp's numbering: a leaf is minus its mode.
    private static readonly sbyte[] SubblockModeTree = [0, 1, -1, 2, -2, 3, 4, 6, -3, 5, -4, -5, -6, 7, -7, 8, -8, -9];

    // The band of each coefficient position, with a 17th entry for the position after the last.
    private static readonly byte[] Band = [0, 1, 2, 3, 6, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 0];

    // The extra bits' probabilities of the DCT_CAT3 to DCT_CAT6 tokens.
    private static readonly byte[][] CategoryBits =
    [
        [173, 148, 140],
        [176, 155, 140, 135],
        [180, 157, 141, 134, 130],
        [254, 254, 243, 230, 196, 177, 153, 140, 133, 130, 129],
    ];

    private readonly byte[] _coefficients = DefaultCoefficients.ToArray();
    private readonly byte[] _segmentProbabilities = [255, 255, 255];
    private bool _segmentMap;
    private int _skipProbability = -1;

    // Contexts: above, one entry per macroblock column (4 luma, 2 + 2 chroma sub-blocks); left, for the current row.
    private readonly byte[] _modesAbove, _nonZeroAbove, _dcAbove;
    private readonly byte[] _modesLeft = new byte[4], _nonZeroLeft = new byte[8];
    private byte _dcLeft;
    private readonly MacroblockModes[] _row;

    private Vp8DataCheck(int columns)
    {
        _modesAbove = new byte[4 * columns];
        _nonZeroAbove = new byte[8 * columns];
        _dcAbove = new byte[columns];
        _row = new MacroblockModes[columns];
    }

    /// <summary>
    /// Null when <paramref name="payload"/> (a VP8 chunk's data, from its frame tag) holds the whole frame; else
    /// what is wrong, in words. Frames of more than <paramref name="maxPixels"/> are not walked (null); a frame
    /// header that does not fit is left to the scanner's own check (null).
    /// </summary>
    public static string? Problem(ReadOnlySpan<byte> payload, long maxPixels)
    {
        if (payload.Length < 10) return null;
        int tag = payload[0] | payload[1] << 8 | payload[2] << 16;
        int firstPart = tag >> 5;
        int width = (payload[6] | payload[7] << 8) & 0x3FFF, height = (payload[8] | payload[9] << 8) & 0x3FFF;
        if (width == 0 || height == 0 || firstPart > payload.Length - 10 || (long)width * height > maxPixels) return null;
        // The frame tag as libwebp checks it before decoding.
        if ((tag & 1) != 0) return "the WebP VP8 data is not a key frame";
        if (((tag >> 1) & 7) > 3) return $"the WebP VP8 data gives an unknown profile ({(tag >> 1) & 7})";
        if ((tag >> 4 & 1) == 0) return "the WebP VP8 frame is marked as not to be shown";

        byte[] data = payload.ToArray();
        var header = new Vp8BoolDecoder(data, 10, firstPart);
        int columns = (width + 15) >> 4, rows = (height + 15) >> 4;
        var check = new Vp8DataCheck(columns);
        if (check.ReadHeader(header) is string headerProblem) return headerProblem;

        int partitions = 1 << header.Literal(2);
        int sizesAt = 10 + firstPart, partsAt = sizesAt + 3 * (partitions - 1);
        if (partsAt >= data.Length)
            return $"the WebP VP8 data ends before its {Plain.N(partitions)} token part{(partitions == 1 ? "" : "s")}";
        var parts = new Vp8BoolDecoder[partitions];
        int at = partsAt;
        for (int p = 0; p < partitions - 1; p++)
        {
            int size = Math.Min(data[sizesAt + 3 * p] | data[sizesAt + 3 * p + 1] << 8 | data[sizesAt + 3 * p + 2] << 16, data.Length - at);
            parts[p] = new Vp8BoolDecoder(data, at, size);
            at += size;
        }
        if (at >= data.Length) return $"the WebP VP8 data's last token part is empty (of {Plain.N(partitions)})";
        parts[partitions - 1] = new Vp8BoolDecoder(data, at, data.Length - at);

        check.ReadQuantizersAndProbabilities(header);
        for (int y = 0; y < rows; y++)
        {
            check.StartRow();
            for (int x = 0; x < columns; x++) check.ReadModes(header, x);
            if (header.PastEnd)
                return $"the WebP VP8 data's first part ends before the modes of macroblock row {Plain.N(y + 1)} of {Plain.N(rows)}: it was cut short";
            Vp8BoolDecoder tokens = parts[y & (partitions - 1)];
            for (int x = 0; x < columns; x++)
            {
                check.ReadTokens(tokens, x);
                if (tokens.PastEnd)
                    return $"the WebP VP8 data ends inside macroblock row {Plain.N(y + 1)} of {Plain.N(rows)}: it was cut short";
            }
        }
        return null;
    }

    private string? ReadHeader(Vp8BoolDecoder header)
    {
        header.Literal(2); // colour space, clamping
        if (header.Bit(128) == 1)
        {
            _segmentMap = header.Bit(128) == 1;
            if (header.Bit(128) == 1)
            {
                header.Bit(128); // absolute or delta values
                for (int s = 0; s < 4; s++) header.OptionalSigned(7);
                for (int s = 0; s < 4; s++) header.OptionalSigned(6);
            }
            if (_segmentMap)
            {
                for (int s = 0; s < 3; s++) _segmentProbabilities[s] = (byte)(header.Bit(128) == 1 ? header.Literal(8) : 255);
            }
        }
        header.Literal(1 + 6 + 3); // filter type, level, sharpness
        if (header.Bit(128) == 1 && header.Bit(128) == 1)
        {
            for (int i = 0; i < 8; i++) header.OptionalSigned(6); // reference-frame and mode filter deltas
        }
        return header.PastEnd ? "the WebP VP8 data's first part ends inside its frame header: it was cut short" : null;
    }

    private void ReadQuantizersAndProbabilities(Vp8BoolDecoder header)
    {
        header.Literal(7);
        for (int i = 0; i < 5; i++) header.OptionalSigned(4);
        header.Bit(128); // refresh the entropy probabilities (a key frame's are always its own)
        ReadOnlySpan<byte> updates = CoefficientUpdates;
        for (int i = 0; i < _coefficients.Length; i++)
        {
            if (header.Bit(updates[i]) == 1) _coefficients[i] = (byte)header.Literal(8);
        }
        if (header.Bit(128) == 1) _skipProbability = header.Literal(8);
    }

    private void StartRow()
    {
        Array.Clear(_modesLeft);
        Array.Clear(_nonZeroLeft);
        _dcLeft = 0;
    }

    private void ReadModes(Vp8BoolDecoder header, int x)
    {
        if (_segmentMap)
        {
            if (header.Bit(_segmentProbabilities[0]) == 0) header.Bit(_segmentProbabilities[1]);
            else header.Bit(_segmentProbabilities[2]);
        }
        bool skip = _skipProbability >= 0 && header.Bit(_skipProbability) == 1;
        bool subblocks = header.Bit(145) == 0;
        Span<byte> above = _modesAbove.AsSpan(4 * x, 4);
        if (!subblocks)
        {
            int mode = header.Bit(156) == 1
                ? (header.Bit(128) == 1 ? ModeTm : ModeHorizontal)
                : (header.Bit(163) == 1 ? ModeVertical : ModeDc);
            above.Fill((byte)mode);
            _modesLeft.AsSpan().Fill((byte)mode);
        }
        else
        {
            ReadOnlySpan<byte> probabilities = SubblockModes;
            for (int y = 0; y < 4; y++)
            {
                int mode = _modesLeft[y];
                for (int column = 0; column < 4; column++)
                {
                    ReadOnlySpan<byte> p = probabilities.Slice((above[column] * 10 + mode) * 9, 9);
                    int node = SubblockModeTree[header.Bit(p[0])];
                    while (node > 0) node = SubblockModeTree[2 * node + header.Bit(p[node])];
                    mode = -node;
                    above[column] = (byte)mode;
                }
                _modesLeft[y] = (byte)mode;
            }
        }
        // The chroma mode: its bits are read, its value not needed.
        if (header.Bit(142) == 1 && header.Bit(114) == 1) header.Bit(183);
        _row[x] = new MacroblockModes(skip, subblocks);
    }

    private void ReadTokens(Vp8BoolDecoder tokens, int x)
    {
        MacroblockModes modes = _row[x];
        Span<byte> above = _nonZeroAbove.AsSpan(8 * x, 8);
        if (modes.Skip)
        {
            // No coefficients: the sub-blocks count as zero for their neighbours, and so does a whole-block DC.
            above.Clear();
            Array.Clear(_nonZeroLeft);
            if (!modes.Subblocks) _dcAbove[x] = _dcLeft = 0;
            return;
        }
        int first = 0, lumaType = 3;
        if (!modes.Subblocks)
        {
            int dc = Coefficients(tokens, 1, _dcAbove[x] + _dcLeft, 0) > 0 ? 1 : 0;
            _dcAbove[x] = _dcLeft = (byte)dc;
            (first, lumaType) = (1, 0);
        }
        for (int y = 0; y < 4; y++)
        {
            for (int column = 0; column < 4; column++)
            {
                int last = Coefficients(tokens, lumaType, _nonZeroLeft[y] + above[column], first);
                _nonZeroLeft[y] = above[column] = (byte)(last > first ? 1 : 0);
            }
        }
        // U then V: 2 x 2 sub-blocks each, their flags after the four luma ones.
        for (int plane = 4; plane < 8; plane += 2)
        {
            for (int y = 0; y < 2; y++)
            {
                for (int column = 0; column < 2; column++)
                {
                    int last = Coefficients(tokens, 2, _nonZeroLeft[plane + y] + above[plane + column], 0);
                    _nonZeroLeft[plane + y] = above[plane + column] = (byte)(last > 0 ? 1 : 0);
                }
            }
        }
    }

    /// <summary>One sub-block's tokens from position <paramref name="n"/>; returns the position after its last non-zero coefficient, or 16.</summary>
    private int Coefficients(Vp8BoolDecoder tokens, int type, int context, int n)
    {
        int p = Probabilities(type, n, context);
        for (; n < 16; n++)
        {
            if (tokens.Bit(_coefficients[p]) == 0) return n; // end of block
            while (tokens.Bit(_coefficients[p + 1]) == 0)
            {
                if (++n == 16) return 16;
                p = Probabilities(type, n, 0);
            }
            int next;
            if (tokens.Bit(_coefficients[p + 2]) == 0)
            {
                next = 1;
            }
            else
            {
                LargeValue(tokens, p);
                next = 2;
            }
            tokens.Sign(); // the sign, read as libwebp reads it
            p = Probabilities(type, n + 1, next);
        }
        return 16;
    }

    private void LargeValue(Vp8BoolDecoder tokens, int p)
    {
        if (tokens.Bit(_coefficients[p + 3]) == 0)
        {
            if (tokens.Bit(_coefficients[p + 4]) == 1) tokens.Bit(_coefficients[p + 5]);
        }
        else if (tokens.Bit(_coefficients[p + 6]) == 0)
        {
            if (tokens.Bit(_coefficients[p + 7]) == 0)
            {
                tokens.Bit(159);
            }
            else
            {
                tokens.Bit(165);
                tokens.Bit(145);
            }
        }
        else
        {
            int high = tokens.Bit(_coefficients[p + 8]);
            int low = tokens.Bit(_coefficients[p + 9 + high]);
            foreach (byte probability in CategoryBits[2 * high + low]) tokens.Bit(probability);
        }
    }

    private static int Probabilities(int type, int position, int context) =>
        ((type * Bands + Band[position]) * Contexts + context) * TokenProbabilities;

    private readonly record struct MacroblockModes(bool Skip, bool Subblocks);
}
