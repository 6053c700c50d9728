/** rnn4j-bench. */
package org.rnn4j.bench;
