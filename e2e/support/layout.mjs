// Checks a tablet needs: every control a touch target, nothing off screen.

/**
 * Controls in the page's main area shorter than `min` px. A radio or
 * checkbox counts by the label row around it, which is what a finger taps.
 */
export async function controlsShorterThan(page, min) {
  return page.evaluate((min) => {
    const controls = document.querySelectorAll(
      [
        'main button',
        'main select',
        'main textarea',
        'main input:not([type="checkbox"]):not([type="radio"])',
        'main a.button',
        'main a.record-ref',
        'main a.retention-open',
        'main .rights-check',
      ].join(', '),
    );
    return [...controls]
      .filter((c) => c.offsetParent !== null && c.getBoundingClientRect().height < min)
      .map((c) => `${c.dataset.testid ?? c.id ?? c.tagName}: ${Math.round(c.getBoundingClientRect().height)} px`);
  }, min);
}

/** How far the page is wider than the screen. */
export async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
