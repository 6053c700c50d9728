/** rnn4j-cli. */
package org.rnn4j.cli;
