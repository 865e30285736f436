package org.entente.bench;

import java.util.Iterator;
import org.entente.stix.StixJson;

/**
 * What the load driver POSTs: fresh copies of a corpus (ATT&CK, whose objects are large and richly
 * linked) interleaved with indicators of real feed values (small, one pattern each), in a set
 * proportion. A node in service receives both: framework and report content from CTI sharing, and a
 * steady flow of blocklist indicators.
 */
final class IngestMix implements Iterator<Corpus.Fresh> {
  private final Corpus corpus;
  private final Iterator<Corpus.Fresh> copies;
  private final FeedIndicators indicators;
  private final double indicatorShare;
  private double owed;
  private long fromCorpus;
  private long fromIndicators;

  /**
   * @param indicatorShare the fraction of objects that are feed indicators, 0 to 1
   */
  IngestMix(Corpus corpus, FeedIndicators indicators, double indicatorShare) {
    this.corpus = corpus;
    this.copies = corpus.freshCopies();
    this.indicators = indicators;
    this.indicatorShare = indicatorShare;
  }

  String describe() {
    return String.format(
        "%.0f%% fresh copies of %s (%,d objects, re-identified per copy), %.0f%% %s",
        100 * (1 - indicatorShare),
        corpus.description(),
        corpus.size(),
        100 * indicatorShare,
        indicators.describe());
  }

  /** How much of what was taken so far came from where. */
  String taken() {
    return String.format(
        "%,d corpus copies' objects, %,d indicators (%,d of real feed values, %,d generated)",
        fromCorpus, fromIndicators, indicators.fromFeeds(), indicators.generated());
  }

  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public Corpus.Fresh next() {
    // Spreads the indicators evenly through the stream instead of in runs.
    owed += indicatorShare;
    if (owed >= 1 || !copies.hasNext()) {
      owed = Math.max(0, owed - 1);
      fromIndicators++;
      var o = indicators.next();
      return new Corpus.Fresh(o.get("id").asText(), StixJson.writeBytes(o));
    }
    fromCorpus++;
    return copies.next();
  }
}
