namespace KMeansPS.Input;

/// <summary>
/// One column of input values, appended as rows arrive, in blocks of 16,384 doubles: growing never copies what is
/// already stored (a doubling list holds three copies at its peak), and rows can be dropped in place.
/// </summary>
internal sealed class DoubleColumn
{
    private const int BlockBits = 14;
    private const int BlockSize = 1 << BlockBits;
    private const int BlockMask = BlockSize - 1;

    private readonly List<double[]> _blocks = new();

    /// <summary>Rows per block: block b holds rows b x BlockLength onwards, in every column of a table alike.</summary>
    public const int BlockLength = BlockSize;

    public int Count { get; private set; }

    public int BlockCount => (Count + BlockMask) >> BlockBits;

    /// <summary>The values of block <paramref name="block"/>, for loops that run a block at a time.</summary>
    public ReadOnlySpan<double> Block(int block) => _blocks[block].AsSpan(0, Math.Min(BlockSize, Count - (block << BlockBits)));

    public double this[int index]
    {
        get => _blocks[index >> BlockBits][index & BlockMask];
        set => _blocks[index >> BlockBits][index & BlockMask] = value;
    }

    public void Add(double value)
    {
        if ((Count & BlockMask) == 0 && Count >> BlockBits == _blocks.Count) _blocks.Add(new double[BlockSize]);
        _blocks[Count >> BlockBits][Count & BlockMask] = value;
        Count++;
    }

    /// <summary>Appends source[offset], source[offset + stride], ... (<paramref name="count"/> values): one column of a row-major matrix.</summary>
    public void AddStrided(double[] source, int offset, int stride, int count)
    {
        long from = offset;
        while (count > 0)
        {
            if ((Count & BlockMask) == 0 && Count >> BlockBits == _blocks.Count) _blocks.Add(new double[BlockSize]);
            double[] block = _blocks[Count >> BlockBits];
            int at = Count & BlockMask;
            int n = Math.Min(count, BlockSize - at);
            for (int i = 0; i < n; i++, from += stride) block[at + i] = source[from];
            Count += n;
            count -= n;
        }
    }

    /// <summary>Keeps the rows whose <paramref name="keep"/> entry is true, in order, and frees the blocks left empty.</summary>
    public void Compact(IReadOnlyList<bool> keep)
    {
        int write = 0;
        for (int read = 0; read < Count; read++)
        {
            if (keep[read]) this[write++] = this[read];
        }
        Count = write;
        _blocks.RemoveRange((Count + BlockMask) >> BlockBits, _blocks.Count - ((Count + BlockMask) >> BlockBits));
    }

    public void Clear()
    {
        _blocks.Clear();
        Count = 0;
    }
}
